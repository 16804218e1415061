import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { registerServiceWorker } from './sw/register';
import './app/styles/base.css';
import './app/styles/room.css';
import './app/styles/room-header.css';
import './app/styles/rating-rows.css';
import './app/styles/fill.css';
import './app/styles/reveal.css';
import './app/styles/agreement.css';
import './app/styles/workshop.css';
import './app/styles/print.css';

const root = document.getElementById('root');
if (root) {
  const render = () =>
    createRoot(root).render(
      <StrictMode>
        <App />
      </StrictMode>,
    );
  // The start page comes with its introduction in the HTML (landing.html): let the browser
  // paint it before React's first render takes the main thread, then render in its place.
  // (A background tab runs no animation frames: the timeout renders there.)
  if (root.childElementCount > 0) {
    let done = false;
    const once = () => {
      if (done) return;
      done = true;
      render();
    };
    requestAnimationFrame(() => setTimeout(once, 0));
    setTimeout(once, 200);
  } else render();
}

registerServiceWorker();

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { registerServiceWorker } from './sw/register';
import './app/styles/base.css';
import './app/styles/room.css';
import './app/styles/reveal.css';
import './app/styles/workshop.css';
import './app/styles/print.css';

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}

registerServiceWorker();

// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../client/src/lib/api';
import { errorWords, FORM_WORDS } from '../../client/src/lib/error-words';
import { strings } from '../../client/src/lib/strings';
import { JoinWorkshopPage } from '../../client/src/features/workshop/JoinWorkshopPage';
import { useServer } from '../helpers/fixtures';
import { createWorkshop, joinWorkshop } from '../helpers/workshop';

const server = useServer();
beforeAll(() => {
  // The page calls the API by path, as it does in a browser; here those paths reach the real test server.
  const nodeFetch = globalThis.fetch;
  vi.stubGlobal('fetch', (input: string | URL, init?: RequestInit) => nodeFetch(new URL(String(input), server.url), init));
});
afterEach(cleanup);
afterAll(() => {
  vi.unstubAllGlobals();
});

describe('the client words refusals from code and reason, never from the message', () => {
  it('CW1 reason first, then what this place says for the code, then the fallback', () => {
    // The message is the server's old English for a pair code: it decides nothing.
    const sniffable = new ApiError('not_found', 404, 'No pair in this workshop has this code. Check it with your partner.');
    expect(errorWords(sniffable, { not_found: strings.workshop.notFound })).toBe(strings.workshop.notFound);
    expect(errorWords(new ApiError('not_found', 404, '', 'pair_not_found'), { not_found: strings.workshop.notFound })).toBe(strings.workshop.pairNotFound);
    expect(errorWords({ code: 'forbidden', reason: 'section_locked', message: 'x' }, {}, strings.ready.failed)).toBe(strings.workshop.lockedRefused);
    expect(errorWords({ code: 'forbidden', message: strings.workshop.lockedRefused }, {}, strings.ready.failed)).toBe(strings.ready.failed);
    expect(errorWords(new ApiError('bad_request', 400, 'Invalid body: displayName too long'), FORM_WORDS)).toBe(strings.common.badRequest);
    expect(errorWords(new TypeError('boom'), FORM_WORDS)).toBe(strings.common.tryAgainLater);
  });

  it('CW2 the join page tells an unknown pair code from an unknown workshop code (reasons from the real server)', async () => {
    const workshop = await createWorkshop(server.url);
    const waiting = await joinWorkshop(server.url, workshop.joinCode, 'Ash');

    render(<JoinWorkshopPage code={workshop.joinCode} />);
    fireEvent.change(screen.getByLabelText(strings.workshop.nameLabel), { target: { value: 'Bo' } });
    fireEvent.click(screen.getByRole('radio', { name: new RegExp(strings.workshop.modeJoin) }));
    fireEvent.change(screen.getByLabelText(strings.workshop.pairCodeLabel), { target: { value: waiting.pairCode === 'ZZZZ' ? 'YYYY' : 'ZZZZ' } });
    fireEvent.click(screen.getByRole('button', { name: strings.workshop.joinSubmit }));
    expect((await screen.findByRole('alert')).textContent).toBe(strings.workshop.pairNotFound);
    cleanup();

    render(<JoinWorkshopPage code="ZZZZZZ" />);
    fireEvent.change(screen.getByLabelText(strings.workshop.nameLabel), { target: { value: 'Bo' } });
    fireEvent.click(screen.getByRole('button', { name: strings.workshop.joinSubmit }));
    expect((await screen.findByRole('alert')).textContent).toBe(strings.workshop.notFound);
  });
});

import { serveTarget } from './harness';
import { startParley } from './parley-server';

/** The same Parley with `BuildOptions.sealedRooms` on (issue 16): the sealed scenarios' rooms are sealed. */
serveTarget((recordLoad, port) => startParley({ sealedRooms: true }, recordLoad, port));

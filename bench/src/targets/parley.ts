import { serveTarget } from './harness';
import { startParley } from './parley-server';

/** Parley as it ships today: standard rooms only (sealed rooms are behind a build option). */
serveTarget((recordLoad, port) => startParley({ sealedRooms: false }, recordLoad, port));

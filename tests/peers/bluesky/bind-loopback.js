// bind-loopback.js — preload (node -r) that makes every TCP server listen on 127.0.0.1 only
//
// @atproto's servers listen on all interfaces; a test peer must not be
// reachable from outside the machine.
//
// SPDX-License-Identifier: GPL-3.0-or-later
'use strict';

const net = require('node:net');

const LOOPBACK = '127.0.0.1';
const listen = net.Server.prototype.listen;

function isPort(value) {
  return typeof value === 'number' || (typeof value === 'string' && /^\d+$/.test(value));
}

net.Server.prototype.listen = function (...args) {
  const first = args[0];

  if (first !== null && typeof first === 'object' && !Array.isArray(first)) {
    // listen(options[, cb]): leave Unix sockets and inherited handles alone.
    const isHandle = first instanceof net.Server || first instanceof net.Socket ||
      first._handle !== undefined || first.fd !== undefined || first.handle !== undefined;
    if (!isHandle && first.path === undefined)
      args[0] = { ...first, host: LOOPBACK };
  } else if (first === undefined || typeof first === 'function') {
    // listen([cb]): any port, on loopback.
    args = [0, LOOPBACK, ...args.filter((arg) => arg !== undefined)];
  } else if (isPort(first)) {
    // listen(port[, host][, backlog][, cb])
    if (typeof args[1] === 'string')
      args[1] = LOOPBACK;
    else
      args.splice(1, 0, LOOPBACK);
  }
  return listen.apply(this, args);
};

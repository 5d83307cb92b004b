// start-pds.js — Bluesky's own PLC directory and PDS on loopback, with the accounts the tests use
//
//   SD_BLUESKY_PEER_DIR=DIR TMPDIR=DIR node -r ./bind-loopback.js start-pds.js [--plc-port N] [--pds-port N]
//
// SD_BLUESKY_PEER_DIR is where install.sh put node_modules. Prints one JSON
// line to stdout once everything is ready ("ready": true), then runs until
// SIGTERM or SIGINT. Ports default to free ones.
//
// SPDX-License-Identifier: GPL-3.0-or-later
'use strict';

const path = require('node:path');
const { createRequire } = require('node:module');

const peerDir = process.env.SD_BLUESKY_PEER_DIR;
if (!peerDir) {
  console.error('start-pds.js: set SD_BLUESKY_PEER_DIR to the folder install.sh printed');
  process.exit(2);
}
const peerRequire = createRequire(path.join(peerDir, 'package.json'));
const { TestNetworkNoAppView } = peerRequire('@atproto/dev-env');
const { createAccessToken, createRefreshToken } =
  peerRequire('@atproto/pds/dist/account-manager/helpers/auth');

// {port: N} for "--NAME N", {} otherwise: dev-env's configuration spreads
// what it is given over its defaults, so an undefined port would win.
function portOption(name) {
  const index = process.argv.indexOf(name);
  const port = index >= 0 ? Number(process.argv[index + 1]) : 0;
  return port > 0 ? { port } : {};
}

const USERS = [
  { name: 'alice', handle: 'alice.test', password: 'alice-pass' },
  { name: 'bob', handle: 'bob.test', password: 'bob-pass' },
];

async function main() {
  const network = await TestNetworkNoAppView.create({
    plc: { ...portOption('--plc-port') },
    pds: {
      ...portOption('--pds-port'),
      hostname: 'localhost',
      enableDidDocWithSession: true,
    },
  });

  let closing = null;
  const stop = () => {
    if (!closing)
      closing = network.close().then(() => process.exit(0), (error) => {
        console.error('start-pds.js: closing failed:', error);
        process.exit(1);
      });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);

  const pds = network.pds;
  const info = { ready: true, pds_url: pds.url, plc_url: network.plc.url };

  for (const user of USERS) {
    const agent = pds.getClient();
    const { data } = await agent.createAccount({
      handle: user.handle,
      email: `${user.name}@example.test`,
      password: user.password,
    });
    info[user.name] = { handle: user.handle, did: data.did, password: user.password };
  }

  // An app password for alice, as a person would make one in Settings.
  const alice = pds.getClient();
  await alice.login({ identifier: 'alice.test', password: 'alice-pass' });
  const appPassword = await alice.com.atproto.server.createAppPassword({ name: 'SocialDesk tests' });
  info.alice.app_password = appPassword.data.password;

  // Tokens for alice that ran out a minute ago, signed with the PDS's own key,
  // as a desktop app would find them in the keyring after a long sleep.
  const past = Math.floor(Date.now() / 1000) - 60;
  const keys = {
    did: info.alice.did,
    jwtKey: pds.jwtSecretKey(),
    serviceDid: pds.ctx.cfg.service.did,
    expiresIn: past,
  };
  info.alice.expired_access_jwt = await createAccessToken(keys);
  info.alice.expired_refresh_jwt = await createRefreshToken(keys);

  process.stdout.write(JSON.stringify(info) + '\n');
}

main().catch((error) => {
  console.error('start-pds.js:', error);
  process.exit(1);
});

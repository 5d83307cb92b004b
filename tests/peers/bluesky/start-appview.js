// start-appview.js — Bluesky's own PLC directory, PDS and AppView on loopback, seeded with users
//
//   SD_BLUESKY_PEER_DIR=DIR TMPDIR=DIR DB_POSTGRES_URL=postgresql://... REDIS_HOST=unused \
//     node -r ./bind-loopback.js start-appview.js
//
// The AppView (@atproto/bsky) and Ozone keep their data in PostgreSQL
// (DB_POSTGRES_URL: a private server the test started); REDIS_HOST is
// asserted by dev-env but not used. dev-env's basicSeed makes alice, bob,
// carol and dan (password NAME-pass) with posts, likes, replies and mentions.
// Prints one JSON line to stdout once everything is indexed ("ready": true),
// then runs until SIGTERM or SIGINT.
//
// SPDX-License-Identifier: GPL-3.0-or-later
'use strict';

const path = require('node:path');
const { createRequire } = require('node:module');

const peerDir = process.env.SD_BLUESKY_PEER_DIR;
if (!peerDir) {
  console.error('start-appview.js: set SD_BLUESKY_PEER_DIR to the folder install.sh printed');
  process.exit(2);
}
if (!process.env.DB_POSTGRES_URL) {
  console.error('start-appview.js: set DB_POSTGRES_URL to a PostgreSQL server the AppView may use');
  process.exit(2);
}
process.env.REDIS_HOST = process.env.REDIS_HOST || 'unused';

const peerRequire = createRequire(path.join(peerDir, 'package.json'));
const { TestNetwork, SeedClient, basicSeed } = peerRequire('@atproto/dev-env');

const USERS = ['alice', 'bob', 'carol', 'dan'];
const CHAT_DID = 'did:web:api.bsky.chat';

async function main() {
  const network = await TestNetwork.create({
    // Schema names may hold only letters and underscores.
    dbPostgresSchema: 'socialdesk',
    pds: { hostname: 'localhost', enableDidDocWithSession: true },
  });

  let closing = null;
  const stop = () => {
    if (!closing)
      closing = network.close().then(() => process.exit(0), (error) => {
        console.error('start-appview.js: closing failed:', error);
        process.exit(1);
      });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);

  // Bluesky's chat service is not part of dev-env and did:web:api.bsky.chat
  // cannot be resolved without the internet: resolve it to an address that is
  // never reached, so the PDS goes on to its own check of the app password's
  // direct-message access, as bsky.social does.
  const didResolver = network.pds.ctx.idResolver.did;
  const resolveNoCache = didResolver.resolveNoCache;
  didResolver.resolveNoCache = async (did) => {
    if (did === CHAT_DID)
      return {
        '@context': ['https://www.w3.org/ns/did/v1'],
        id: CHAT_DID,
        service: [{ id: '#bsky_chat', type: 'BskyChatService', serviceEndpoint: 'http://127.0.0.1:9' }],
      };
    return resolveNoCache.call(didResolver, did);
  };

  // basicSeed reads its images from ../dev-env/assets, relative to the PDS package.
  const pdsDir = path.dirname(peerRequire.resolve('@atproto/pds/package.json'));
  process.chdir(pdsDir);
  const sc = network.getSeedClient();
  await basicSeed(sc);
  await network.processAll();

  const info = {
    ready: true,
    pds_url: network.pds.url,
    appview_url: network.bsky.url,
    plc_url: network.plc.url,
  };
  for (const name of USERS) {
    const did = sc.dids[name];
    info[name] = { handle: `${name}.test`, did, password: `${name}-pass` };
  }

  // An app password for alice (without direct-message access), as a person
  // would make one in Settings.
  const alice = network.pds.getClient();
  await alice.login({ identifier: 'alice.test', password: 'alice-pass' });
  const appPassword = await alice.com.atproto.server.createAppPassword({ name: 'SocialDesk tests' });
  info.alice.app_password = appPassword.data.password;

  // The test drives the network: a line "process" on stdin runs processAll
  // (the AppView indexes what the PDS has) and is answered "processed".
  process.stdin.setEncoding('utf8');
  let pending = '';
  process.stdin.on('data', (chunk) => {
    pending += chunk;
    let newline;
    while ((newline = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, newline).trim();
      pending = pending.slice(newline + 1);
      if (line === 'process')
        network.processAll().then(() => process.stdout.write('processed\n'),
          (error) => process.stdout.write(`process failed: ${error}\n`));
    }
  });
  process.stdin.on('end', () => {});

  process.stdout.write(JSON.stringify(info) + '\n');
}

main().catch((error) => {
  console.error('start-appview.js:', error);
  process.exit(1);
});

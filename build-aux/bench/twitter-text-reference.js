// twitter-text-reference.js — the reference implementation's parseTweet over the same posts
//
// Reads one post per line (backslash-n for a line break inside a post), prints
// "length<TAB>valid" per post like `socialdesk-cli count --each-line`, and the
// throughput on stderr.
//
// SPDX-License-Identifier: GPL-3.0-or-later
const fs = require('fs');
const twitter = require('twitter-text');

const lines = fs.readFileSync(process.argv[2], 'utf8').split('\n');
if (lines[lines.length - 1] === '') lines.pop();
const posts = lines.map((line) => line.replace(/\\n/g, '\n'));

const out = [];
const start = process.hrtime.bigint();
for (const post of posts) {
  const result = twitter.parseTweet(post);
  out.push(`${result.weightedLength}\t${result.valid}`);
}
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
fs.writeFileSync(process.argv[3], out.join('\n') + '\n');
process.stderr.write(`${posts.length} posts in ${seconds.toFixed(3)} s: ${Math.round(posts.length / seconds)} posts/s\n`);

#!/usr/bin/env node
// Puts the sources of callwire's C library into the package (core/), so that
// the packed tarball can build libcallwire_c itself when no installed one is
// found (scripts/build-core.js). npm runs it before `npm pack` / `npm publish`
// (prepack) and, with --clean, after (postpack), so the checkout keeps no copy.
//
// What CMake needs to build the callwire_c target and nothing else: the
// top-level CMakeLists.txt, cmake/, src/, include/ and capi/ — no tests,
// examples, tools, bindings or build folders (the same part of the repository
// the Python package's build compiles, bindings/python/CMakeLists.txt).
//
//   node scripts/gather-core.js           copy from the repository around this package
//   node scripts/gather-core.js --clean   remove core/ (only when the repository is there)
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const repo = path.resolve(root, '..', '..');
const core = path.join(root, 'core');
const PARTS = ['CMakeLists.txt', 'cmake', 'src', 'include', 'capi'];
const SKIP = /^(build.*|node_modules|\.git|__pycache__|.*\.(db|db-wal|db-shm|tgz|orig|rej)|.*~)$/;

// This package inside a callwire checkout, or a copy of it on its own (an
// unpacked tarball, whose core/ is already there).
function inCheckout() {
  return fs.existsSync(path.join(repo, 'capi', 'include', 'callwire.h')) &&
    fs.existsSync(path.join(repo, 'bindings', 'node', 'package.json')) &&
    fs.realpathSync(path.join(repo, 'bindings', 'node')) === fs.realpathSync(root);
}

function copy(from, to) {
  const stat = fs.statSync(from);
  if (stat.isDirectory()) {
    fs.mkdirSync(to, { recursive: true });
    for (const name of fs.readdirSync(from).sort()) {
      if (!SKIP.test(name)) copy(path.join(from, name), path.join(to, name));
    }
  } else if (stat.isFile()) {
    fs.copyFileSync(from, to);
  }
}

function main() {
  const clean = process.argv.includes('--clean');
  if (!inCheckout()) {
    if (clean) return;
    if (fs.existsSync(path.join(core, 'capi', 'include', 'callwire.h'))) return; // packed before: keep its core/
    process.stderr.write(`callwire: no callwire sources at ${repo} and no core/ in the package: pack it from a checkout\n`);
    process.exit(1);
  }
  fs.rmSync(core, { recursive: true, force: true });
  if (clean) return;
  fs.mkdirSync(core);
  for (const part of PARTS) copy(path.join(repo, part), path.join(core, part));
}

main();

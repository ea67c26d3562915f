#!/usr/bin/env node
// Finds the installed callwire C library (libcallwire_c.so + callwire.h) the
// addon is built against. Used by binding.gyp (at configure time) and by
// scripts/install.js (which builds the bundled library when none is found).
//
// Where it looks, first match wins:
//   1. $CALLWIRE_C_PREFIX                      an install prefix (cmake --install … --prefix P)
//   2. npm config callwire_c_prefix            `npm install --callwire_c_prefix=P` or .npmrc
//                                              (npm hands it over as $npm_config_callwire_c_prefix)
//   3. pkg-config callwire_c                   honours $PKG_CONFIG_PATH
// None of them: scripts/install.js builds the library from the package's own
// sources (scripts/build-core.js) and hands binding.gyp its folder through
// $CALLWIRE_NODE_BUILT_CORE (internal); the addon then finds the library
// beside itself ($ORIGIN).
//
//   node scripts/locate-callwire.js include   the folder holding callwire.h
//   node scripts/locate-callwire.js libdir    the folder holding libcallwire_c.so
//   node scripts/locate-callwire.js rpath     where the addon loads it from (libdir, or $ORIGIN)
//   node scripts/locate-callwire.js describe  a human summary (exit 1 with help when absent)
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const HEADER = 'callwire.h';
const LIBRARY = 'libcallwire_c.so';

function libdirsOf(prefix) {
  return ['lib', 'lib64', path.join('lib', `${process.arch === 'x64' ? 'x86_64' : process.arch}-linux-gnu`)]
    .map((d) => path.join(prefix, d));
}

function fromPrefix(prefix, source) {
  const abs = path.resolve(prefix);
  const include = path.join(abs, 'include');
  const libdir = libdirsOf(abs).find((d) => fs.existsSync(path.join(d, LIBRARY)));
  const problems = [];
  if (!fs.existsSync(path.join(include, HEADER))) problems.push(`${path.join(include, HEADER)} is missing`);
  if (!libdir) problems.push(`no ${LIBRARY} in ${libdirsOf(abs).join(', ')}`);
  return { source, include, libdir, problems };
}

function fromPkgConfig() {
  let include;
  let libdir;
  try {
    const opts = { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] };
    include = execFileSync('pkg-config', ['--variable=includedir', 'callwire_c'], opts).trim();
    libdir = execFileSync('pkg-config', ['--variable=libdir', 'callwire_c'], opts).trim();
  } catch {
    return null; // no pkg-config, or no callwire_c.pc on its path
  }
  const problems = [];
  if (!fs.existsSync(path.join(include, HEADER))) problems.push(`${path.join(include, HEADER)} is missing`);
  if (!fs.existsSync(path.join(libdir, LIBRARY))) problems.push(`${path.join(libdir, LIBRARY)} is missing`);
  return { source: 'pkg-config callwire_c', include, libdir, problems };
}

/** The first location that is set, checked; null when none is. */
function locate(env = process.env) {
  if (env.CALLWIRE_NODE_BUILT_CORE) {
    const [include, libdir] = env.CALLWIRE_NODE_BUILT_CORE.split(path.delimiter);
    return { source: 'the bundled sources', include, libdir, bundled: true, problems: [] };
  }
  if (env.CALLWIRE_C_PREFIX) return fromPrefix(env.CALLWIRE_C_PREFIX, '$CALLWIRE_C_PREFIX');
  if (env.npm_config_callwire_c_prefix) {
    return fromPrefix(env.npm_config_callwire_c_prefix, 'npm config callwire_c_prefix');
  }
  return fromPkgConfig();
}

const HELP = `callwire: the callwire C library (libcallwire_c.so and callwire.h) was not found.

Without an installed C library the package builds its own from the sources it
carries (CMake and the build dependencies of scripts/deps). To use an
installed one instead, install it from the callwire repository and point this
package at it:

  cmake --preset release && cmake --build --preset release --target callwire_c
  cmake --install build/release --component c --prefix $HOME/.local
  CALLWIRE_C_PREFIX=$HOME/.local npm install callwire

or make \`pkg-config callwire_c\` find it (PKG_CONFIG_PATH=<prefix>/lib/pkgconfig),
or pass --callwire_c_prefix=<prefix> to npm install. See docs/node.md.`;

if (require.main === module) {
  const what = process.argv[2] || 'describe';
  const found = locate();
  if (!found || found.problems.length > 0) {
    if (found) process.stderr.write(`callwire: ${found.source}: ${found.problems.join('; ')}\n\n`);
    process.stderr.write(`${HELP}\n`);
    process.exit(1);
  }
  if (what === 'include') process.stdout.write(found.include);
  else if (what === 'libdir') process.stdout.write(found.libdir);
  // For gyp's make generator, which hands $$ to the shell as $ (quoted).
  else if (what === 'rpath') process.stdout.write(found.bundled ? "'$$ORIGIN'" : found.libdir);
  else process.stdout.write(`callwire C library from ${found.source}: ${found.include}, ${found.libdir}\n`);
}

module.exports = { locate, HELP };

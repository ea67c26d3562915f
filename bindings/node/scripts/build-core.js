#!/usr/bin/env node
// Builds libcallwire_c from the callwire sources that come with the package
// (core/, put there by scripts/gather-core.js when it was packed), or from the
// checkout around it (`npm install ./bindings/node`), with CMake — when no
// installed C library was found (scripts/locate-callwire.js). Only the
// callwire_c target: no tests, examples or tools. Nothing is downloaded: the
// core's dependencies are the system packages of scripts/deps.
//
// Environment:
//   CALLWIRE_NODE_CORE_BUILD_DIR  CMake build folder to use and keep (a reinstall is then
//                                 incremental); default: a folder in the package, removed after
//   CMAKE_BUILD_PARALLEL_LEVEL    compile jobs (default: the machine's processors)
//   CMAKE_GENERATOR, CMAKE_CXX_COMPILER_LAUNCHER, …   as for any CMake build
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');

/** The callwire source folder to build, or null when the package has none. */
function coreSource() {
  const bundled = path.join(root, 'core');
  if (fs.existsSync(path.join(bundled, 'capi', 'include', 'callwire.h'))) return bundled;
  const repo = path.resolve(root, '..', '..');
  if (fs.existsSync(path.join(repo, 'capi', 'include', 'callwire.h')) &&
      fs.existsSync(path.join(repo, 'bindings', 'node', 'binding.gyp'))) return repo;
  return null;
}

function run(command, args, what) {
  const r = spawnSync(command, args, { stdio: 'inherit' });
  if (r.error) throw new Error(`callwire: could not run ${command} (${what}): ${r.error.message}`);
  if (r.status !== 0) throw new Error(`callwire: ${what} failed (${command} ${args.join(' ')})`);
}

/**
 * Configures and builds the callwire_c target. Returns {source, include,
 * library, buildDir, keep}: `library` is the built libcallwire_c.so (a link
 * to the SONAME file beside it).
 */
function buildCore() {
  const source = coreSource();
  if (!source) throw new Error('callwire: the package holds no callwire sources (core/) to build the C library from');
  if (spawnSync('cmake', ['--version'], { stdio: 'ignore' }).status !== 0) {
    throw new Error('callwire: building the bundled C library needs cmake and a C++ compiler ' +
                    '(Debian: the packages of scripts/deps in the callwire repository)');
  }
  const keep = Boolean(process.env.CALLWIRE_NODE_CORE_BUILD_DIR);
  const buildDir = path.resolve(process.env.CALLWIRE_NODE_CORE_BUILD_DIR || path.join(root, 'build-core'));
  const jobs = process.env.CMAKE_BUILD_PARALLEL_LEVEL ||
    String(typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length);
  process.stdout.write(`callwire: building the C library from ${source} in ${buildDir} (CMake, ${jobs} jobs; a few minutes)\n`);
  run('cmake', ['-S', source, '-B', buildDir, '-DCMAKE_BUILD_TYPE=Release',
    '-DCALLWIRE_BUILD_TESTS=OFF', '-DCALLWIRE_BUILD_EXAMPLES=OFF', '-DCALLWIRE_BUILD_TOOLS=OFF', '-DCALLWIRE_INSTALL=OFF'],
  'configuring the C library');
  run('cmake', ['--build', buildDir, '--target', 'callwire_c', '--parallel', jobs], 'building the C library');
  const library = path.join(buildDir, 'capi', 'libcallwire_c.so');
  if (!fs.existsSync(library)) throw new Error(`callwire: the C library build made no ${library}`);
  // The build's own include folder: callwire.h (a link to the source's) beside the
  // callwire_version.h that CMake generates from project(VERSION).
  const include = path.join(buildDir, 'capi', 'include');
  if (!fs.existsSync(path.join(include, 'callwire_version.h'))) {
    throw new Error(`callwire: the C library build made no ${path.join(include, 'callwire_version.h')}`);
  }
  return { source, include, library, buildDir, keep };
}

module.exports = { buildCore, coreSource };

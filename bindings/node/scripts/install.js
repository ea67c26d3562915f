#!/usr/bin/env node
// The package's install step: finds an installed callwire C library, or —
// when there is none — builds the one whose sources come with the package
// (scripts/build-core.js, CMake); then builds the addon with node-gyp against
// the headers of the running Node. Nothing is downloaded but node-addon-api.
//
//   npm install callwire                                   builds the bundled C library
//   CALLWIRE_C_PREFIX=/opt/callwire npm install callwire   uses an installed one
//
// Environment:
//   CALLWIRE_C_PREFIX      install prefix of the C library (see locate-callwire.js)
//   npm_config_nodedir     Node headers (npm's `nodedir` config); default: the
//                          prefix of this node binary when it has include/node
//   CALLWIRE_NODE_DEBUG=1  a Debug build (build/Debug)
//   CALLWIRE_NODE_WERROR=1 warnings are errors (the project's CI sets it)
//   CALLWIRE_NODE_CORE_BUILD_DIR, CMAKE_BUILD_PARALLEL_LEVEL  the bundled build (build-core.js)
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { locate, HELP } = require('./locate-callwire.js');
const { buildCore } = require('./build-core.js');

const root = path.resolve(__dirname, '..');

function fail(message) {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

// An installed library that was asked for (or that pkg-config names) but is
// broken stops the install; none at all means the bundled one.
const found = locate();
if (found && found.problems.length > 0) {
  fail(`callwire: ${found.source}: ${found.problems.join('; ')}\n\n${HELP}`);
}
let core = null;
if (found) {
  process.stdout.write(`callwire: building against the C library from ${found.source} (${found.libdir})\n`);
} else {
  process.stdout.write('callwire: no installed callwire C library (CALLWIRE_C_PREFIX, npm config callwire_c_prefix, ' +
                       'pkg-config callwire_c): building the bundled one\n');
  try {
    core = buildCore();
  } catch (err) {
    fail(`${err.message}\n\n${HELP}`);
  }
}

// node-addon-api (a header-only build dependency) normally sits in the
// consumer's node_modules. A folder installed as a link (`npm install
// ./bindings/node`) gets no dependencies installed, so fetch this package's
// own production dependencies into its folder first.
function hasAddonApi() {
  try {
    require.resolve('node-addon-api', { paths: [root] });
    return true;
  } catch {
    return false;
  }
}
if (!hasAddonApi()) {
  process.stdout.write('callwire: node-addon-api is not installed beside the package (a linked folder?): installing it\n');
  const npm = process.env.npm_execpath;
  const npmArgs = ['install', '--omit=dev', '--no-package-lock', '--ignore-scripts', '--no-audit', '--no-fund'];
  const r = npm && npm.endsWith('.js')
    ? spawnSync(process.execPath, [npm, ...npmArgs], { cwd: root, stdio: 'inherit' })
    : spawnSync('npm', npmArgs, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0 || !hasAddonApi()) fail('callwire: could not install node-addon-api from the npm registry');
}

// Headers: npm's nodedir config, else the prefix this node was installed
// under (/usr/bin/node → /usr/include/node). Both make node-gyp use local
// headers instead of downloading a tarball.
function nodeDir() {
  if (process.env.npm_config_nodedir) return process.env.npm_config_nodedir;
  const prefix = path.resolve(path.dirname(process.execPath), '..');
  if (fs.existsSync(path.join(prefix, 'include', 'node', 'node_api.h'))) return prefix;
  return null;
}
const nodedir = nodeDir();
if (!nodedir) {
  fail('callwire: no Node headers found (include/node/node_api.h beside this node, or npm config nodedir). ' +
       'Install them (Debian: libnode-dev / nodejs headers) or set npm_config_nodedir.');
}

// npm hands lifecycle scripts the path of its bundled node-gyp.
const gyp = process.env.npm_config_node_gyp;
const args = ['rebuild', `--nodedir=${nodedir}`, '--jobs=2'];
if (process.env.CALLWIRE_NODE_DEBUG === '1') args.push('--debug');
const command = gyp ? process.execPath : 'node-gyp';
const argv = gyp ? [gyp, ...args] : args;
const env = { ...process.env };
if (core) env.CALLWIRE_NODE_BUILT_CORE = [core.include, path.dirname(core.library)].join(path.delimiter);
const result = spawnSync(command, argv, { cwd: root, stdio: 'inherit', env });
if (result.error) fail(`callwire: could not run node-gyp: ${result.error.message}`);
if (result.status !== 0) process.exit(result.status === null ? 1 : result.status);

// The bundled library goes beside the addon under its SONAME (the name the
// addon asks the loader for, through its $ORIGIN rpath), as one file.
if (core) {
  const soname = fs.readlinkSync(core.library);  // libcallwire_c.so -> libcallwire_c.so.<abi>
  const addonDir = path.join(root, 'build', process.env.CALLWIRE_NODE_DEBUG === '1' ? 'Debug' : 'Release');
  const real = fs.realpathSync(core.library);
  const target = path.join(addonDir, path.basename(soname));
  fs.copyFileSync(real, target);
  if (!core.keep) fs.rmSync(core.buildDir, { recursive: true, force: true });
  process.stdout.write(`callwire: the C library built from ${core.source} is ${target}\n`);
}

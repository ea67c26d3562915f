# The callwire addon: node-addon-api (C++ exceptions on) over the C library
# libcallwire_c.so — an installed one, found by scripts/locate-callwire.js,
# whose folder is recorded as an rpath; or the one scripts/install.js built
# from the bundled sources and put beside the addon (rpath $ORIGIN). Either
# way the addon loads without LD_LIBRARY_PATH.
{
  'targets': [
    {
      'target_name': 'callwire',
      'sources': [
        'src/addon.cc',
        'src/common.cc',
        'src/storage.cc',
        'src/client.cc',
        'src/server.cc',
      ],
      'dependencies': [
        "<!(node -p \"require('node-addon-api').targets\"):node_addon_api_except",
      ],
      'include_dirs': [
        '<!(node scripts/locate-callwire.js include)',
      ],
      'defines': [
        'NAPI_VERSION=8',
        'NODE_ADDON_API_DISABLE_DEPRECATED',
        # A worker being terminated cannot take a JavaScript exception; without
        # this, node-addon-api turns that into std::terminate().
        'NODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS',
      ],
      'cflags_cc': [
        '-std=c++17',
        '-Wall',
        '-Wextra',
        "<!@(node -p \"process.env.CALLWIRE_NODE_WERROR === '1' ? '-Werror' : ''\")",
      ],
      'libraries': [
        '-L<!(node scripts/locate-callwire.js libdir)',
        '-lcallwire_c',
        "-Wl,-rpath,<!(node scripts/locate-callwire.js rpath)",
      ],
    },
  ],
}

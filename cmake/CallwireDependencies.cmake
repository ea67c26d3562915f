# Third-party dependencies, all from Debian's packages (scripts/deps installs them).
find_package(Threads REQUIRED)
find_package(OpenSSL 3 REQUIRED)
find_package(Boost 1.74 REQUIRED)   # Asio and Beast are header-only
find_package(SQLite3 REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(MONGOC REQUIRED IMPORTED_TARGET libmongoc-1.0)
# Argon2id password hashes of UserStore (the reference implementation).
pkg_check_modules(ARGON2 REQUIRED IMPORTED_TARGET libargon2)

find_path(RAPIDJSON_INCLUDE_DIR rapidjson/document.h REQUIRED)
add_library(callwire_rapidjson INTERFACE)
target_include_directories(callwire_rapidjson SYSTEM INTERFACE ${RAPIDJSON_INCLUDE_DIR})
target_compile_definitions(callwire_rapidjson INTERFACE RAPIDJSON_HAS_STDSTRING=1)
# RapidJSON's iterators trip clang's C++20 reversed-operator warning.
target_compile_options(callwire_rapidjson INTERFACE $<$<CXX_COMPILER_ID:Clang>:-Wno-ambiguous-reversed-operator>)

# Asio and Beast with the same configuration macros in every file that includes
# them (one definition rule): the layers that use them link this.
add_library(callwire_asio INTERFACE)
target_link_libraries(callwire_asio INTERFACE Boost::headers)
target_compile_definitions(callwire_asio INTERFACE BOOST_ASIO_NO_DEPRECATED BOOST_BEAST_USE_STD_STRING_VIEW)

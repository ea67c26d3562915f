# install(EXPORT …) with a namespace, a config file, a version file and a pkg-config file.
#
# Every install rule belongs to one of three components, each installable on
# its own once its targets are built (README.md, "Installing"):
#   sdk     the C++ SDK: include/callwire/, libcallwire.a, find_package(callwire), callwire.pc
#   c       the C ABI: libcallwire_c.so.3, callwire.h, find_package(callwire_c), callwire_c.pc
#           (capi/CMakeLists.txt)
#   server  callwire-server, callwire-admin and the web softphone in share/callwire/web
#           (examples/server/CMakeLists.txt, tools/admin/CMakeLists.txt)
# `cmake --install <build>` without --component installs all three.
include(CMakePackageConfigHelpers)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/callwire DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT sdk)
install(TARGETS callwire EXPORT callwireTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT sdk
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT sdk
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT callwireTargets NAMESPACE callwire:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/callwire COMPONENT sdk)

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/callwireConfig.cmake.in
  ${PROJECT_BINARY_DIR}/callwireConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/callwire)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/callwireConfigVersion.cmake
  COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/callwireConfig.cmake ${PROJECT_BINARY_DIR}/callwireConfigVersion.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/callwire COMPONENT sdk)

# Relocatable, as callwire_c.pc: the prefix is found from where the file is
# installed, so `cmake --install … --prefix P` gives a working file.
file(RELATIVE_PATH CALLWIRE_PC_TO_PREFIX ${CMAKE_INSTALL_FULL_LIBDIR}/pkgconfig ${CMAKE_INSTALL_PREFIX})
string(REGEX REPLACE "/$" "" CALLWIRE_PC_TO_PREFIX "${CALLWIRE_PC_TO_PREFIX}")
configure_file(${PROJECT_SOURCE_DIR}/cmake/callwire.pc.in ${PROJECT_BINARY_DIR}/callwire.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/callwire.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig COMPONENT sdk)

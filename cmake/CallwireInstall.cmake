# install(EXPORT …) with a namespace, a config file, a version file and a pkg-config file.
include(CMakePackageConfigHelpers)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/callwire DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS callwire EXPORT callwireTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT callwireTargets NAMESPACE callwire:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/callwire)

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/callwireConfig.cmake.in
  ${PROJECT_BINARY_DIR}/callwireConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/callwire)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/callwireConfigVersion.cmake
  COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/callwireConfig.cmake ${PROJECT_BINARY_DIR}/callwireConfigVersion.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/callwire)

configure_file(${PROJECT_SOURCE_DIR}/cmake/callwire.pc.in ${PROJECT_BINARY_DIR}/callwire.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/callwire.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

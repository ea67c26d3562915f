# Script mode (capi.installed_consumer): installs libcallwire_c, callwire.h,
# the CMake package and the pkg-config file into a scratch prefix, then
# configures, builds and runs consumer/ against that prefix only.
#   cmake -DCAPI_BUILD_DIR=… -DWORK_DIR=… -DCONSUMER_DIR=… -DGENERATOR=… -P run_consumer.cmake
file(REMOVE_RECURSE ${WORK_DIR})
set(prefix ${WORK_DIR}/prefix)
execute_process(COMMAND ${CMAKE_COMMAND} -DCMAKE_INSTALL_PREFIX=${prefix} -P ${CAPI_BUILD_DIR}/cmake_install.cmake
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "installing libcallwire_c failed: ${rc}")
endif()
foreach(f include/callwire.h lib/libcallwire_c.so.3 lib/pkgconfig/callwire_c.pc lib/cmake/callwire_c/callwire_cConfig.cmake)
  if(NOT EXISTS ${prefix}/${f})
    message(FATAL_ERROR "not installed: ${f}")
  endif()
endforeach()
set(ENV{PKG_CONFIG_PATH} ${prefix}/lib/pkgconfig)
execute_process(COMMAND ${CMAKE_COMMAND} -S ${CONSUMER_DIR} -B ${WORK_DIR}/build -G ${GENERATOR}
                        -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_BUILD_TYPE=Release RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "consumer configure failed: ${rc}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${WORK_DIR}/build RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "consumer build failed: ${rc}")
endif()
set(ENV{LD_LIBRARY_PATH} ${prefix}/lib)
foreach(exe consumer_cmake consumer_pkgconfig)
  execute_process(COMMAND ${WORK_DIR}/build/${exe} RESULT_VARIABLE rc OUTPUT_VARIABLE out)
  message(STATUS "${exe} said: ${out}")
  if(NOT rc EQUAL 0 OR NOT out MATCHES "^\\+12125551234 0\\.1\\.0")
    message(FATAL_ERROR "${exe} failed (${rc}): ${out}")
  endif()
endforeach()

# Shows that capi/src/status_codes.hpp keeps callwire::errc (error.hpp) and
# cw_status (callwire.h) in step: the header compiles as it is, and refuses to
# compile when a code is added to one enum only. Run by ctest
# (capi.status_codes_in_step):
#   cmake -DCXX=… -DSOURCE_DIR=… -DGENERATED_INCLUDE_DIR=<build>/capi/include -DWORK_DIR=… -P status_codes_check.cmake
set(tu ${WORK_DIR}/status_codes_tu.cpp)
file(MAKE_DIRECTORY ${WORK_DIR})
file(WRITE ${tu} "#include \"status_codes.hpp\"\nint main() { return callwire::capi::to_status(callwire::errc::ok); }\n")

# compile(<result var> [<include dir first on the path>])
function(compile out)
  set(first)
  if(ARGC GREATER 1)
    set(first -I${ARGV1})
  endif()
  execute_process(
    COMMAND ${CXX} -std=c++20 -fsyntax-only ${first} -I${SOURCE_DIR}/capi/src -I${SOURCE_DIR}/capi/include
            -I${GENERATED_INCLUDE_DIR} -I${SOURCE_DIR}/include ${tu}
    RESULT_VARIABLE rc OUTPUT_VARIABLE log ERROR_VARIABLE log)
  set(${out} ${rc} PARENT_SCOPE)
  set(${out}_log "${log}" PARENT_SCOPE)
endfunction()

# Writes a copy of <file> under <dir>/<name> with <from> replaced by <to>; fails if <from> is absent.
function(patched file dir name from to)
  file(READ ${file} text)
  string(FIND "${text}" "${from}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "'${from}' not found in ${file}: update this test with the enum")
  endif()
  string(REPLACE "${from}" "${to}" text "${text}")
  file(WRITE ${dir}/${name} "${text}")
endfunction()

compile(rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "status_codes.hpp does not compile as it is:\n${rc_log}")
endif()

# A code added to callwire::errc only.
set(extra_errc ${WORK_DIR}/extra_errc)
patched(${SOURCE_DIR}/include/callwire/error.hpp ${extra_errc} callwire/error.hpp
        "  forbidden = 17," "  forbidden = 17,\n  extra_test_code = 18,")
compile(rc ${extra_errc})
if(rc EQUAL 0)
  message(FATAL_ERROR "status_codes.hpp compiled with an errc that cw_status lacks")
endif()
if(NOT rc_log MATCHES "extra_test_code")
  message(FATAL_ERROR "an errc only in error.hpp failed for another reason:\n${rc_log}")
endif()

# A code added to cw_status only.
set(extra_status ${WORK_DIR}/extra_status)
patched(${SOURCE_DIR}/capi/include/callwire.h ${extra_status} callwire.h
        "  CW_EFORBIDDEN = -17 " "  CW_EFORBIDDEN = -17,\n  CW_EEXTRA_TEST = -18 ")
compile(rc ${extra_status})
if(rc EQUAL 0)
  message(FATAL_ERROR "status_codes.hpp compiled with a cw_status that callwire::errc lacks")
endif()
if(NOT rc_log MATCHES "CW_EEXTRA_TEST")
  message(FATAL_ERROR "a code only in callwire.h failed for another reason:\n${rc_log}")
endif()

# The same value given to a different errc than the C code it names (a renumbering).
set(renumbered ${WORK_DIR}/renumbered)
patched(${SOURCE_DIR}/include/callwire/error.hpp ${renumbered} callwire/error.hpp
        "  forbidden = 17," "  forbidden = 16,")
compile(rc ${renumbered})
if(rc EQUAL 0)
  message(FATAL_ERROR "status_codes.hpp compiled with errc::forbidden renumbered")
endif()
message(STATUS "status_codes.hpp: in step, and refuses an errc or a cw_status added alone, or a renumbered errc")

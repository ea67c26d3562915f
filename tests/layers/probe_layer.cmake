# Script mode (layers.<layer>.sees_only_its_layer_and_above): compiles small
# sources with exactly the include directories and definitions that the
# layer's own sources get (read from its target, callwire_<layer>), and
# proves that
#
#   - a source that includes any header of a layer below — a private one of
#     src/<folder>/ ("client/update_bus.hpp") or a public one the lower layer
#     owns ("callwire/call_client.hpp") — does not compile: the header is not
#     found;
#   - one source that includes every header of the layer and of the layers
#     above it does compile (so the failures above are for the right reason).
#
#   cmake -DTABLE=… -DLAYER=store -DSOURCE_DIR=… -DWORK_DIR=… -DCXX=… -DSTD=20
#         -DINCLUDES=a|b|… -DDEFINES=X|Y=1|… -DIMPLICIT=<the compiler's include folders> -P probe_layer.cmake
cmake_minimum_required(VERSION 3.21)
include(${TABLE})

string(REPLACE "|" ";" INCLUDES "${INCLUDES}")
string(REPLACE "|" ";" DEFINES "${DEFINES}")
string(REPLACE "|" ";" IMPLICIT "${IMPLICIT}")
set(flags -std=c++${STD})
foreach(d ${INCLUDES})
  if(NOT d IN_LIST IMPLICIT)  # the compiler's own folders stay where it puts them
    list(APPEND flags -I${d})
  endif()
endforeach()
foreach(d ${DEFINES})
  list(APPEND flags -D${d})
endforeach()

# The headers of one layer, as its files include them.
function(headers_of layer out)
  set(result)
  foreach(folder ${CALLWIRE_LAYER_${layer}_FOLDERS})
    file(GLOB_RECURSE hs RELATIVE ${SOURCE_DIR}/src ${SOURCE_DIR}/src/${folder}/*.hpp)
    list(APPEND result ${hs})
  endforeach()
  foreach(h ${CALLWIRE_LAYER_${layer}_HEADERS})
    list(APPEND result callwire/${h})
  endforeach()
  set(${out} ${result} PARENT_SCOPE)
endfunction()

list(FIND CALLWIRE_LAYERS ${LAYER} own)
if(own LESS 0)
  message(FATAL_ERROR "no layer ${LAYER} in ${TABLE}")
endif()
set(visible)
set(hidden)
set(index 0)
foreach(layer ${CALLWIRE_LAYERS})
  headers_of(${layer} hs)
  if(index GREATER own)
    list(APPEND hidden ${hs})
  elseif(layer IN_LIST CALLWIRE_BUILT_LAYERS)
    list(APPEND visible ${hs})
  endif()
  math(EXPR index "${index} + 1")
endforeach()

file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})
set(problems)

# Every header of the layers below: not found.
foreach(h ${hidden})
  string(MAKE_C_IDENTIFIER ${h} name)
  set(src ${WORK_DIR}/includes_${name}.cpp)
  file(WRITE ${src} "#include \"${h}\"\n")
  execute_process(COMMAND ${CXX} ${flags} -E ${src} -o ${WORK_DIR}/out.i
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  string(REGEX REPLACE "[.+]" "\\\\\\0" pattern "${h}")
  if(rc EQUAL 0)
    list(APPEND problems "${LAYER} can include ${h} of a layer below")
  elseif(NOT out MATCHES "${pattern}.*(No such file or directory|file not found)")
    list(APPEND problems "including ${h} from ${LAYER} failed, but not because the header was not found:\n${out}")
  endif()
endforeach()

# Every header of the layer and those above: found, and they compile together.
set(text "")
foreach(h ${visible})
  string(APPEND text "#include \"${h}\"\n")
endforeach()
file(WRITE ${WORK_DIR}/sees_above.cpp "${text}")
execute_process(COMMAND ${CXX} ${flags} -fsyntax-only ${WORK_DIR}/sees_above.cpp
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
  list(APPEND problems "the headers of ${LAYER} and of the layers above it do not compile with ${LAYER}'s flags:\n${out}")
endif()

list(LENGTH hidden nhidden)
list(LENGTH visible nvisible)
if(problems)
  string(REPLACE ";" "\n" text "${problems}")
  message(FATAL_ERROR "${text}")
endif()
message(STATUS "${LAYER}: the ${nhidden} headers of the layers below are out of reach; "
               "the ${nvisible} of ${LAYER} and above compile")

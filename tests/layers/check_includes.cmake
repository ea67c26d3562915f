# Script mode (layers.include_rules): reads every #include of src/ and
# include/callwire/ and refuses one that reaches below the layer of its file
# (DESIGN.md, "Layers"; docs/architecture.md, "Layer targets"):
#
#   - a project header (quoted, or in angle brackets when it names a file of
#     src/ or include/) belongs to the layer of its folder of src/, or, in
#     include/callwire/, to the layer that names it in HEADERS; it may be
#     included from its own layer and the layers below it, never above;
#     "../" paths are resolved first, so they reach no further;
#   - a public header includes only public headers, and no third-party one;
#   - a third-party header (<rapidjson/…>, <boost/…>, <sqlite3.h>, …: the
#     prefixes named in THIRD_PARTY by some layer) only in the layers that
#     name its prefix (RapidJSON in the codec alone);
#   - every file of src/ is in a folder of some layer.
#
# The build refuses most of this by itself (each layer's include root);
# this check also covers what an include path cannot: "../" paths and
# third-party headers that sit in the compiler's default folders.
#
#   cmake -DTABLE=<build>/layers/table.cmake -DSOURCE_DIR=<repo> -P check_includes.cmake
cmake_minimum_required(VERSION 3.21)
include(${TABLE})

set(rank 0)
set(known_third_party)
foreach(layer ${CALLWIRE_LAYERS})
  set(rank_of_${layer} ${rank})
  foreach(folder ${CALLWIRE_LAYER_${layer}_FOLDERS})
    set(layer_of_folder_${folder} ${layer})
  endforeach()
  foreach(h ${CALLWIRE_LAYER_${layer}_HEADERS})
    set(layer_of_header_${h} ${layer})
  endforeach()
  list(APPEND known_third_party ${CALLWIRE_LAYER_${layer}_THIRD_PARTY})
  math(EXPR rank "${rank} + 1")
endforeach()

# The layer of a file of the project, by its path from SOURCE_DIR ("" when in none).
function(layer_of path out)
  set(layer "")
  if(path MATCHES "^src/([^/]+)/")
    if(DEFINED layer_of_folder_${CMAKE_MATCH_1})
      set(layer ${layer_of_folder_${CMAKE_MATCH_1}})
    endif()
  elseif(path MATCHES "^include/callwire/([^/]+)$")
    if(DEFINED layer_of_header_${CMAKE_MATCH_1})
      set(layer ${layer_of_header_${CMAKE_MATCH_1}})
    endif()
  endif()
  set(${out} "${layer}" PARENT_SCOPE)
endfunction()

file(GLOB_RECURSE files RELATIVE ${SOURCE_DIR} ${SOURCE_DIR}/src/* ${SOURCE_DIR}/include/callwire/*)
set(problems)
set(checked 0)
foreach(file ${files})
  if(file MATCHES "CMakeLists\\.txt$")
    continue()
  endif()
  layer_of(${file} layer)
  if(layer STREQUAL "")
    list(APPEND problems "${file}: in no layer (name its folder or header in a callwire_layer() of src/CMakeLists.txt)")
    continue()
  endif()
  set(public OFF)
  if(file MATCHES "^include/")
    set(public ON)
  endif()
  get_filename_component(dir ${SOURCE_DIR}/${file} DIRECTORY)
  file(STRINGS ${SOURCE_DIR}/${file} lines REGEX "^[ \t]*#[ \t]*include")
  set(n 0)
  foreach(line IN LISTS lines)
    math(EXPR checked "${checked} + 1")
    if(line MATCHES "#[ \t]*include[ \t]*\"([^\"]+)\"")
      set(inc ${CMAKE_MATCH_1})
      set(quoted ON)
    elseif(line MATCHES "#[ \t]*include[ \t]*<([^>]+)>")
      set(inc ${CMAKE_MATCH_1})
      set(quoted OFF)
    else()
      list(APPEND problems "${file}: an #include this check cannot read: ${line}")
      continue()
    endif()
    # Where the compiler could find it in the project: beside the file, then
    # from src/ or include/ (a "../" path is resolved, never taken at its word).
    set(target "")
    foreach(base ${dir} ${SOURCE_DIR}/src ${SOURCE_DIR}/include)
      if(quoted OR NOT base STREQUAL dir)
        get_filename_component(candidate ${base}/${inc} ABSOLUTE)
        if(EXISTS ${candidate} AND NOT IS_DIRECTORY ${candidate})
          file(RELATIVE_PATH target ${SOURCE_DIR} ${candidate})
          break()
        endif()
      endif()
    endforeach()
    if(NOT target STREQUAL "")
      if(target MATCHES "^\\.\\./")
        list(APPEND problems "${file}: includes ${inc}, outside the project's sources")
        continue()
      endif()
      layer_of(${target} to)
      if(to STREQUAL "")
        list(APPEND problems "${file}: includes ${inc} (${target}), which is in no layer")
      elseif(public AND NOT target MATCHES "^include/")
        list(APPEND problems "${file}: a public header includes ${inc}, an internal header")
      elseif(rank_of_${to} GREATER rank_of_${layer})
        list(APPEND problems "${file}: includes ${inc} of the ${to} layer, below its own (${layer})")
      endif()
    elseif(quoted)
      list(APPEND problems "${file}: includes \"${inc}\", which names no file of src/ or include/")
    else()
      string(REGEX REPLACE "[/.].*$" "" prefix "${inc}")
      if(prefix IN_LIST known_third_party)
        if(public)
          list(APPEND problems "${file}: a public header includes <${inc}> (no third-party type in a public header)")
        elseif(NOT prefix IN_LIST CALLWIRE_LAYER_${layer}_THIRD_PARTY)
          string(REPLACE ";" ", " allowed "${CALLWIRE_LAYER_${layer}_THIRD_PARTY}")
          list(APPEND problems "${file}: includes <${inc}>, which the ${layer} layer may not (it may: ${allowed})")
        endif()
      endif()
    endif()
  endforeach()
endforeach()

list(LENGTH files nfiles)
if(problems)
  list(LENGTH problems nproblems)
  string(REPLACE ";" "\n  " text "${problems}")
  message(FATAL_ERROR "${nproblems} include(s) break the layer rule of DESIGN.md:\n  ${text}")
endif()
message(STATUS "${checked} includes of ${nfiles} files follow the layers (${CALLWIRE_LAYERS}, top down)")

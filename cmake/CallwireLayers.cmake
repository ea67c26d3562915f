# The layers of DESIGN.md ("Layers") as CMake targets (docs/architecture.md,
# "Layer targets").
#
#   callwire_layer(<name> FOLDERS <folder of src/>... [HEADERS <header of include/callwire/>...]
#                  [CORE] [LINK <target>...] [LINK_PRIVATE <target>...] [THIRD_PARTY <prefix>...])
#
# Layers are declared in DESIGN.md's order, from the top (domain) down. Each
# one becomes an object library, callwire_<name>, that links the layer
# declared before it — and so, transitively, every layer above it — and
# nothing below it. Its include root, <build>/layers/<name>/, holds symbolic
# links to its own folders of src/ and to the public headers it owns
# (<root>/callwire/<header>), and is given only to the layer itself and to the
# layers below it: a source that includes a header of a layer below its own
# does not compile ("No such file or directory").
#
#   FOLDERS      the folders of src/ the layer is made of (its private headers
#                are included as "<folder>/<file>.hpp")
#   HEADERS      the public headers (include/callwire/) the layer owns; every
#                public header belongs to exactly one layer
#   CORE         built in the core-only builds (CALLWIRE_CORE_ONLY: the
#                sanitizer and fuzz presets) too
#   LINK         dependencies the layer's headers need, passed on to the layers below
#   LINK_PRIVATE dependencies of its sources only (a layer below cannot include them)
#   THIRD_PARTY  the libraries whose headers the layer's files may include, by
#                include prefix (<boost/…>: boost; <sqlite3.h>: sqlite3); the
#                check of tests/layers/ refuses any other
#
# Sources are added by each folder's CMakeLists.txt with
# target_sources(callwire_<name> PRIVATE …). callwire_layers_write_table()
# writes the table for the checks of tests/layers/.
set_property(GLOBAL PROPERTY CALLWIRE_LAYERS "")
set_property(GLOBAL PROPERTY CALLWIRE_BUILT_LAYERS "")

function(callwire_layer name)
  cmake_parse_arguments(ARG "CORE" "" "FOLDERS;HEADERS;LINK;LINK_PRIVATE;THIRD_PARTY" ${ARGN})
  if(ARG_UNPARSED_ARGUMENTS OR NOT ARG_FOLDERS)
    message(FATAL_ERROR "callwire_layer(${name}): unexpected '${ARG_UNPARSED_ARGUMENTS}', or no FOLDERS")
  endif()
  get_property(declared GLOBAL PROPERTY CALLWIRE_LAYERS)
  get_property(built GLOBAL PROPERTY CALLWIRE_BUILT_LAYERS)
  set_property(GLOBAL APPEND PROPERTY CALLWIRE_LAYERS ${name})
  set_property(GLOBAL PROPERTY CALLWIRE_LAYER_${name}_FOLDERS ${ARG_FOLDERS})
  set_property(GLOBAL PROPERTY CALLWIRE_LAYER_${name}_HEADERS ${ARG_HEADERS})
  set_property(GLOBAL PROPERTY CALLWIRE_LAYER_${name}_THIRD_PARTY ${ARG_THIRD_PARTY})
  foreach(folder ${ARG_FOLDERS})
    if(NOT IS_DIRECTORY ${PROJECT_SOURCE_DIR}/src/${folder})
      message(FATAL_ERROR "callwire_layer(${name}): src/${folder} is not a folder")
    endif()
  endforeach()
  foreach(header ${ARG_HEADERS})
    if(NOT EXISTS ${PROJECT_SOURCE_DIR}/include/callwire/${header})
      message(FATAL_ERROR "callwire_layer(${name}): include/callwire/${header} does not exist")
    endif()
  endforeach()
  if(CALLWIRE_CORE_ONLY AND NOT ARG_CORE)
    return()
  endif()

  set(target callwire_${name})
  set(root ${PROJECT_BINARY_DIR}/layers/${name})
  file(REMOVE_RECURSE ${root})  # removes links, never what they point to
  file(MAKE_DIRECTORY ${root}/callwire)
  foreach(folder ${ARG_FOLDERS})
    file(CREATE_LINK ${PROJECT_SOURCE_DIR}/src/${folder} ${root}/${folder} SYMBOLIC)
  endforeach()
  foreach(header ${ARG_HEADERS})
    file(CREATE_LINK ${PROJECT_SOURCE_DIR}/include/callwire/${header} ${root}/callwire/${header} SYMBOLIC)
  endforeach()

  add_library(${target} OBJECT)
  # The implementation may use C++20; public headers stay C++17 (tests/headers).
  set_target_properties(${target} PROPERTIES CXX_STANDARD 20 CXX_STANDARD_REQUIRED ON)
  target_include_directories(${target} PUBLIC ${root})
  if(built)
    list(GET built -1 above)
    target_link_libraries(${target} PUBLIC callwire_${above})
  endif()
  target_link_libraries(${target} PUBLIC ${ARG_LINK} PRIVATE ${ARG_LINK_PRIVATE})
  callwire_target_defaults(${target})
  set_property(GLOBAL APPEND PROPERTY CALLWIRE_BUILT_LAYERS ${name})
endfunction()

# Every public header belongs to exactly one layer; writes the layer table
# (<build>/layers/table.cmake) that the checks of tests/layers/ read.
function(callwire_layers_write_table)
  get_property(layers GLOBAL PROPERTY CALLWIRE_LAYERS)
  get_property(built GLOBAL PROPERTY CALLWIRE_BUILT_LAYERS)
  set(text "# Written by cmake/CallwireLayers.cmake: the layers of DESIGN.md, top down.\n")
  string(APPEND text "set(CALLWIRE_LAYERS ${layers})\nset(CALLWIRE_BUILT_LAYERS ${built})\n")
  set(owned)
  foreach(layer ${layers})
    foreach(what FOLDERS HEADERS THIRD_PARTY)
      get_property(v GLOBAL PROPERTY CALLWIRE_LAYER_${layer}_${what})
      string(APPEND text "set(CALLWIRE_LAYER_${layer}_${what} ${v})\n")
    endforeach()
    get_property(headers GLOBAL PROPERTY CALLWIRE_LAYER_${layer}_HEADERS)
    foreach(h ${headers})
      if(h IN_LIST owned)
        message(FATAL_ERROR "include/callwire/${h} is claimed by two layers")
      endif()
      list(APPEND owned ${h})
    endforeach()
  endforeach()
  file(GLOB public RELATIVE ${PROJECT_SOURCE_DIR}/include/callwire CONFIGURE_DEPENDS
       ${PROJECT_SOURCE_DIR}/include/callwire/*)
  foreach(h ${public})
    if(NOT h IN_LIST owned)
      message(FATAL_ERROR "include/callwire/${h} belongs to no layer: name it in a callwire_layer(… HEADERS) "
                          "of src/CMakeLists.txt")
    endif()
  endforeach()
  file(GLOB folders RELATIVE ${PROJECT_SOURCE_DIR}/src LIST_DIRECTORIES true CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/src/*)
  foreach(f ${folders})
    if(IS_DIRECTORY ${PROJECT_SOURCE_DIR}/src/${f})
      set(found OFF)
      foreach(layer ${layers})
        get_property(fs GLOBAL PROPERTY CALLWIRE_LAYER_${layer}_FOLDERS)
        if(f IN_LIST fs)
          set(found ON)
        endif()
      endforeach()
      if(NOT found)
        message(FATAL_ERROR "src/${f} belongs to no layer: name it in a callwire_layer(… FOLDERS) of src/CMakeLists.txt")
      endif()
    endif()
  endforeach()
  file(CONFIGURE OUTPUT ${PROJECT_BINARY_DIR}/layers/table.cmake CONTENT "${text}" @ONLY)
endfunction()

# lyncupdate_add_library(<folder> SOURCES <files...> PUBLIC <libs...> PRIVATE <libs...>
#                        [NO_PRECOMPILED_HEADERS])
#
# One library per top-level folder (STYLE.md): target lyncupdate_<folder>, alias
# lyncupdate::<folder>, public headers in <folder>/include, warnings from lyncupdate_options,
# the libraries' precompiled headers (cmake/BuildSpeed.cmake) unless NO_PRECOMPILED_HEADERS
# (a library that does not link {fmt} through lyncupdate::model).
function(lyncupdate_add_library folder)
  cmake_parse_arguments(ARG "NO_PRECOMPILED_HEADERS" "" "SOURCES;PUBLIC;PRIVATE" ${ARGN})
  set(target lyncupdate_${folder})
  add_library(${target} ${ARG_SOURCES})
  add_library(lyncupdate::${folder} ALIAS ${target})
  target_include_directories(${target} PUBLIC
    $<BUILD_INTERFACE:${CMAKE_CURRENT_SOURCE_DIR}/include>)
  target_compile_features(${target} PUBLIC cxx_std_23)
  target_link_libraries(${target} PUBLIC ${ARG_PUBLIC} PRIVATE ${ARG_PRIVATE} lyncupdate_options)
  if(NOT ARG_NO_PRECOMPILED_HEADERS)
    lyncupdate_precompile_headers(${target} LIBRARY)
  endif()
endfunction()

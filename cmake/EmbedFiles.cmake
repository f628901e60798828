# lyncupdate_embed_files(OUTPUT <cpp> NAMESPACE <ns> FILES <name>=<path>...)
#
# Generates a C++ source that holds each file's bytes as a string_view, so that the shipped
# scenarios work without any file on disk. Regenerated whenever an input file changes.
function(lyncupdate_embed_files)
  cmake_parse_arguments(ARG "" "OUTPUT" "FILES" ${ARGN})
  set(inputs)
  set(args)
  foreach(entry IN LISTS ARG_FILES)
    string(REPLACE "=" ";" pair "${entry}")
    list(GET pair 1 path)
    list(APPEND inputs "${path}")
  endforeach()
  add_custom_command(
    OUTPUT "${ARG_OUTPUT}"
    COMMAND ${CMAKE_COMMAND} -D "OUTPUT=${ARG_OUTPUT}" -D "FILES=${ARG_FILES}"
            -P "${PROJECT_SOURCE_DIR}/cmake/EmbedFilesScript.cmake"
    DEPENDS ${inputs} "${PROJECT_SOURCE_DIR}/cmake/EmbedFilesScript.cmake"
    COMMENT "Embedding shipped scenarios"
    VERBATIM)
endfunction()

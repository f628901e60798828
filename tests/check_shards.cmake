# Fails when the Boost.Test executable BINARY has a top-level suite that is not in SUITES
# (comma-separated): lyncupdate_add_test_suite(... SHARDS ...) would never run it.
execute_process(COMMAND ${BINARY} --list_content ERROR_VARIABLE listing OUTPUT_VARIABLE out
                RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "${BINARY} --list_content failed: ${status}")
endif()
string(APPEND listing "${out}")
string(REPLACE "," ";" expected "${SUITES}")
string(REPLACE "\n" ";" lines "${listing}")
foreach(line IN LISTS lines)
  if(line MATCHES "^([A-Za-z0-9_]+)\\*?$")
    list(FIND expected "${CMAKE_MATCH_1}" at)
    if(at EQUAL -1)
      message(FATAL_ERROR "suite ${CMAKE_MATCH_1} of ${BINARY} is in no SHARDS group: add it to "
                          "lyncupdate_add_test_suite(... SHARDS ...)")
    endif()
  endif()
endforeach()

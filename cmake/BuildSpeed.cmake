# Quicker clean builds, for CI (which builds everything from scratch twice: Release, and the
# sanitizer build): LYNCUPDATE_FAST_BUILD turns on
#  - a unity build: each target's sources compiled in batches of CMAKE_UNITY_BUILD_BATCH_SIZE,
#    so that the heavy headers are parsed, and their templates instantiated and compiled, once
#    per batch instead of once per source. A source that cannot share a translation unit with
#    the others of its target gets SKIP_UNITY_BUILD_INCLUSION in its folder's CMakeLists.txt;
#  - precompiled headers: the standard library and {fmt} for the libraries and programs, plus
#    Boost.Test and nlohmann::json for the test suites, each set compiled once and reused by
#    every target of its kind (REUSE_FROM).
# Off by default: compile_commands.json then has one entry per source (what .ci/tidy needs),
# and editing one source recompiles only that source. .ci/run sets LYNCUPDATE_FAST_BUILD=ON in
# the environment, the default of the option for a new build directory.
if(DEFINED ENV{LYNCUPDATE_FAST_BUILD} AND "$ENV{LYNCUPDATE_FAST_BUILD}")
  set(fast_build_default ON)
else()
  set(fast_build_default OFF)
endif()
option(LYNCUPDATE_FAST_BUILD
  "Unity build and precompiled headers: quicker clean builds (CI)" ${fast_build_default})

if(LYNCUPDATE_FAST_BUILD)
  set(CMAKE_UNITY_BUILD ON)
  if(NOT DEFINED CMAKE_UNITY_BUILD_BATCH_SIZE)
    set(CMAKE_UNITY_BUILD_BATCH_SIZE 8)
  endif()
endif()

set(LYNCUPDATE_PCH_STD
  <algorithm> <array> <chrono> <cstddef> <cstdint> <expected> <filesystem> <map> <memory>
  <optional> <span> <string> <string_view> <utility> <vector>)

# lyncupdate_precompile_headers(<target> LIBRARY|TEST)
# With LYNCUPDATE_FAST_BUILD, gives <target> its precompiled headers. LIBRARY: the project's
# libraries and programs, which all link {fmt} through lyncupdate::model, with the same flags:
# they share lyncupdate_model's. TEST: the Boost.Test executables share
# lyncupdate_model_tests's. A source that defines BOOST_TEST_MODULE must include Boost.Test
# itself, first: lyncupdate_add_test_suite leaves it out of the precompiled headers.
function(lyncupdate_precompile_headers target kind)
  if(NOT LYNCUPDATE_FAST_BUILD)
    return()
  endif()
  if(kind STREQUAL "LIBRARY")
    set(owner lyncupdate_model)
    set(headers ${LYNCUPDATE_PCH_STD} <fmt/format.h>)
  elseif(kind STREQUAL "TEST")
    set(owner lyncupdate_model_tests)
    set(headers ${LYNCUPDATE_PCH_STD} <fmt/format.h> <nlohmann/json.hpp>
                <boost/test/unit_test.hpp>)
  else()
    message(FATAL_ERROR "lyncupdate_precompile_headers: LIBRARY or TEST, not ${kind}")
  endif()
  if(target STREQUAL owner)
    target_precompile_headers(${target} PRIVATE ${headers})
  else()
    target_precompile_headers(${target} REUSE_FROM ${owner})
  endif()
endfunction()

# Runs zaudit on one sample and compares "exit: N" plus its report with the golden file.
# With SAMPLE_B: `zaudit compare SAMPLE SAMPLE_B`, the comparison of two captures.
# Text is golden with --verbose (every section); markdown and html show the default view.
set(command ${ZAUDIT} --format ${FORMAT} --color never ${SAMPLE})
if(FORMAT STREQUAL "text")
  set(command ${ZAUDIT} --format text --verbose --color never ${SAMPLE})
endif()
if(DEFINED SAMPLE_B)
  set(command ${ZAUDIT} compare --format ${FORMAT} --color never ${SAMPLE} ${SAMPLE_B})
endif()
execute_process(COMMAND ${command}
                WORKING_DIRECTORY ${SOURCE_DIR}
                OUTPUT_VARIABLE output ERROR_VARIABLE errors RESULT_VARIABLE exit_code)
# The tool's version changes with releases; the golden files do not pin it. Only the tool's (JSON's
# tool, SARIF's driver: right after "name": "zaudit") is masked: SARIF's "version": "2.1.0" and a
# ZRTP Hello's protocol version stay pinned.
string(REGEX REPLACE "(\"name\": \"zaudit\",\n *)\"version\": \"[^\"]*\"" "\\1\"version\": \"X\"" output
                     "${output}")
string(REGEX REPLACE "^zaudit [0-9.]+:" "zaudit X:" output "${output}")
string(REGEX REPLACE "^## zaudit [0-9.]+ report" "## zaudit X report" output "${output}")
string(REGEX REPLACE ">zaudit [0-9.]+ report<" ">zaudit X report<" output "${output}")
set(actual "exit: ${exit_code}\n${output}")
# The input's hash must be what coreutils' sha256sum says, not only what we computed before.
if(FORMAT STREQUAL "json" OR FORMAT STREQUAL "sarif")
  execute_process(COMMAND sha256sum ${SAMPLE} WORKING_DIRECTORY ${SOURCE_DIR} OUTPUT_VARIABLE sum)
  string(SUBSTRING "${sum}" 0 64 sum)
  set(key "sha256")
  if(FORMAT STREQUAL "sarif")
    set(key "sha-256")
  endif()
  string(FIND "${output}" "\"${key}\": \"${sum}\"" found)
  if(found EQUAL -1)
    message(FATAL_ERROR "${SAMPLE}: report's sha256 differs from sha256sum (${sum})")
  endif()
endif()
get_filename_component(name ${GOLDEN} NAME)
if(DEFINED ENV{ZAUDIT_UPDATE_GOLDEN})
  file(WRITE ${GOLDEN} "${actual}")
  message(STATUS "updated ${GOLDEN}")
  return()
endif()
if(NOT EXISTS ${GOLDEN})
  message(FATAL_ERROR "no golden file ${GOLDEN}; run with ZAUDIT_UPDATE_GOLDEN=1 and review it")
endif()
file(READ ${GOLDEN} expected)
if(NOT actual STREQUAL expected)
  file(WRITE ${ACTUAL_DIR}/${name} "${actual}")
  execute_process(COMMAND diff -u ${GOLDEN} ${ACTUAL_DIR}/${name})
  message(FATAL_ERROR "${SAMPLE} (${FORMAT}) differs from ${GOLDEN}")
endif()

# Runs zaudit on one sample and compares "exit: N" plus its report with the golden file.
execute_process(COMMAND ${ZAUDIT} --format ${FORMAT} --color never ${SAMPLE}
                WORKING_DIRECTORY ${SOURCE_DIR}
                OUTPUT_VARIABLE output ERROR_VARIABLE errors RESULT_VARIABLE exit_code)
# The tool's version changes with releases; the golden files do not pin it.
string(REGEX REPLACE "\"version\": \"[^\"]*\"" "\"version\": \"X\"" output "${output}")
string(REGEX REPLACE "^zaudit [0-9.]+:" "zaudit X:" output "${output}")
set(actual "exit: ${exit_code}\n${output}")
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

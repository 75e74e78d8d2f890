# Formats the man page as man(1) would, with every warning on: any warning fails.
execute_process(COMMAND ${GROFF} -ww -man -Tutf8 ${MAN}
                OUTPUT_VARIABLE page ERROR_VARIABLE warnings RESULT_VARIABLE status)
if(NOT status EQUAL 0 OR NOT warnings STREQUAL "")
  message(FATAL_ERROR "groff -ww -man -Tutf8 ${MAN} (exit ${status}):\n${warnings}")
endif()
string(LENGTH "${page}" length)
if(length LESS 2000)
  message(FATAL_ERROR "${MAN} formats to only ${length} characters")
endif()

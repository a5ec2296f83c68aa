# bench/smoke.cmake: the ctest bench_smoke (label bench-smoke): bench/run
# --tiny on the programs of this build, in a directory made afresh each
# time so that nothing of an older build's register is reused.
# Variables: RUN (bench/run), BIN (the build directory), DIR (scratch).
file(REMOVE_RECURSE ${DIR})
execute_process(COMMAND ${RUN} --tiny --no-build --bin ${BIN} --dir ${DIR}
	RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
	message(FATAL_ERROR "bench/run --tiny failed (exit ${rc})")
endif()
file(REMOVE_RECURSE ${DIR})

# gencity_test.cmake: ctest driver for sesshu-gencity (label unit).
#
#   cmake -DGEN=... -DCHECK=... -DWORDLISTS=... -DWORK=... -P gencity_test.cmake
#
# Pins: the same seed gives the same bytes; another seed gives another city;
# the files parse as the import layouts (sesshu-gencity-check); a missing or
# malformed word list is refused with the file (and line) named; bad
# arguments are refused. Everything is written under WORK, in the build tree.
cmake_minimum_required(VERSION 3.25)

foreach(var GEN CHECK WORDLISTS WORK)
	if(NOT DEFINED ${var})
		message(FATAL_ERROR "gencity_test.cmake: -D${var}= is required")
	endif()
endforeach()

file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
set(words --wordlists "${WORDLISTS}")
set(bad_words --wordlists "${WORK}/words")

# Runs the generator; expect_rc 0 or nonzero; stores stderr in ${out_var}.
function(gencity expect_ok out_var)
	execute_process(COMMAND "${GEN}" ${ARGN}
		RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
	if(expect_ok AND NOT rc EQUAL 0)
		message(FATAL_ERROR
			"sesshu-gencity ${ARGN} failed (${rc}):\n${out}${err}")
	endif()
	if(NOT expect_ok AND rc EQUAL 0)
		message(FATAL_ERROR
			"sesshu-gencity ${ARGN} should have failed:\n${out}")
	endif()
	set(${out_var} "${out}${err}" PARENT_SCOPE)
endfunction()

function(expect_match text regex what)
	if(NOT text MATCHES "${regex}")
		message(FATAL_ERROR "${what}: expected /${regex}/ in:\n${text}")
	endif()
endfunction()

function(same_file a b)
	execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files "${a}" "${b}"
		RESULT_VARIABLE rc)
	if(NOT rc EQUAL 0)
		message(FATAL_ERROR
			"${a} and ${b} differ: the generator is not deterministic")
	endif()
endfunction()

# test_gencity_same_seed_gives_same_bytes
gencity(1 out --residents 2000 --seed 7 --out "${WORK}/a" ${words})
expect_match("${out}" "^sesshu-gencity: 2000 residents, [0-9]+ records in [0-9.]+ s"
	"summary line")
gencity(1 out --residents 2000 --seed 7 --out "${WORK}/b" ${words})
foreach(f residents.csv records.csv manifest.txt)
	same_file("${WORK}/a/${f}" "${WORK}/b/${f}")
endforeach()

# test_gencity_other_seed_gives_other_city
gencity(1 out --residents 2000 --seed 8 --out "${WORK}/c" ${words})
foreach(f residents.csv records.csv)
	execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files
		"${WORK}/a/${f}" "${WORK}/c/${f}" RESULT_VARIABLE rc)
	if(rc EQUAL 0)
		message(FATAL_ERROR "seeds 7 and 8 gave the same ${f}")
	endif()
endforeach()

# test_gencity_files_match_the_import_layouts
foreach(d a c)
	execute_process(COMMAND "${CHECK}" "${WORK}/${d}"
		RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
	if(NOT rc EQUAL 0)
		message(FATAL_ERROR
			"sesshu-gencity-check ${WORK}/${d}:\n${out}${err}")
	endif()
	expect_match("${out}" "ok: 2000 residents, [1-9][0-9]* records" "checker")
endforeach()

# A city of N is a prefix of the city of 2N (streams per household):
# the first residents agree whatever N is.
gencity(1 out --residents 1000 --seed 7 --out "${WORK}/half" ${words})
file(STRINGS "${WORK}/half/residents.csv" half LIMIT_COUNT 500)
file(STRINGS "${WORK}/a/residents.csv" full LIMIT_COUNT 500)
if(NOT half STREQUAL full)
	message(FATAL_ERROR "the first residents depend on --residents")
endif()

# test_gencity_missing_word_list_names_the_file
file(MAKE_DIRECTORY "${WORK}/words")
file(GLOB lists "${WORDLISTS}/*.txt")
file(COPY ${lists} DESTINATION "${WORK}/words")
file(REMOVE "${WORK}/words/towns.txt")
gencity(0 out --residents 10 --seed 1 --out "${WORK}/x" ${bad_words})
expect_match("${out}" "cannot open word list .*words/towns.txt" "missing list")
if(EXISTS "${WORK}/x/residents.csv")
	message(FATAL_ERROR "a refused run left residents.csv behind")
endif()

# test_gencity_malformed_word_list_names_file_and_line
file(COPY "${WORDLISTS}/towns.txt" DESTINATION "${WORK}/words")
file(WRITE "${WORK}/words/family_names.txt" "# comment\n佐藤\tサトウ\n鈴木\tすずき\n")
gencity(0 out --residents 10 --seed 1 --out "${WORK}/x" ${bad_words})
expect_match("${out}"
	"words/family_names.txt:3: reading \"すずき\" is not full-width katakana"
	"bad reading")
file(WRITE "${WORK}/words/family_names.txt" "佐藤\tサトウ\textra\n")
gencity(0 out --residents 10 --seed 1 --out "${WORK}/x" ${bad_words})
expect_match("${out}" "words/family_names.txt:1: expected 2 columns" "column count")
file(COPY "${WORDLISTS}/family_names.txt" DESTINATION "${WORK}/words")
file(APPEND "${WORK}/words/institutions.txt" "9910100016\tP\t重複クリニック\n")
gencity(0 out --residents 10 --seed 1 --out "${WORK}/x" ${bad_words})
expect_match("${out}"
	"institutions.txt:[0-9]+: code \"9910100016\" repeats line [0-9]+"
	"duplicate code")

# test_gencity_refuses_bad_arguments
gencity(0 out --residents 0 --seed 1 --out "${WORK}/x")
expect_match("${out}" "--residents" "zero residents")
gencity(0 out --residents 10 --seed 1 --out "${WORK}/x" --today 2026-02-30)
expect_match("${out}" "--today" "bad date")
gencity(0 out --residents 10 --seed 1 --out "${WORK}/x" --municipality 990002)
expect_match("${out}" "check digit" "bad municipality code")
gencity(0 out --residents 10 --out "${WORK}/x")
expect_match("${out}" "usage" "missing seed")

file(REMOVE_RECURSE "${WORK}")

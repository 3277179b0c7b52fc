# The engine's floors, checked by ctest (`floors`, label style):
#   cmake -DSOURCE_DIR=<repository> -P cmake/CheckFloors.cmake
# docs/ARCHITECTURE.md lists the engine's subsystems so that each uses only those listed above it. That list is
# read here, so the document and the check cannot disagree:
#   1. every folder of engine/ is in the list, and nothing else is;
#   2. no engine file includes a header of a subsystem listed below its own (an include pointing up);
#   3. a header that includes a third-party library's header (FFmpeg, LibTorch, dlib, OpenCV, PocketSphinx,
#      Flite, espeak-ng, libass, SQLite, Cairo, libpng, libjpeg) is included only by files of its own
#      subsystem, so that those libraries stay behind the subsystem's own types.
# Any breach is printed with the file and the include, and the check fails.
cmake_minimum_required(VERSION 3.25)
if(NOT SOURCE_DIR)
    message(FATAL_ERROR "usage: cmake -DSOURCE_DIR=<repository> -P CheckFloors.cmake")
endif()

# The list: the lines "  <name>   <what>" between "engine/ ..." and the next top-level folder ("tests/ ...").
file(STRINGS ${SOURCE_DIR}/docs/ARCHITECTURE.md lines)
set(order)
set(in_engine OFF)
foreach(line IN LISTS lines)
    if(line MATCHES "^engine/ ")
        set(in_engine ON)
    elseif(in_engine AND line MATCHES "^[a-z]+/ ")
        break()
    elseif(in_engine AND line MATCHES "^  ([a-z]+) +[^ ]")
        list(APPEND order ${CMAKE_MATCH_1})
    endif()
endforeach()
if(NOT order)
    message(FATAL_ERROR "docs/ARCHITECTURE.md: no engine subsystem list found")
endif()

set(failures 0)
file(GLOB folders LIST_DIRECTORIES true RELATIVE ${SOURCE_DIR}/engine ${SOURCE_DIR}/engine/*)
foreach(folder IN LISTS folders)
    if(IS_DIRECTORY ${SOURCE_DIR}/engine/${folder} AND NOT folder IN_LIST order)
        message(SEND_ERROR "engine/${folder}/ is not in docs/ARCHITECTURE.md's list of subsystems")
        math(EXPR failures "${failures} + 1")
    endif()
endforeach()
foreach(subsystem IN LISTS order)
    if(NOT IS_DIRECTORY ${SOURCE_DIR}/engine/${subsystem})
        message(SEND_ERROR "docs/ARCHITECTURE.md lists ${subsystem}, which engine/ does not have")
        math(EXPR failures "${failures} + 1")
    endif()
endforeach()

# 2: includes pointing up.
set(third_party "libav|libsw|torch/|ATen/|c10/|dlib/|opencv2/|pocketsphinx|sphinxbase|flite|espeak|ass/|sqlite3|cairo|png\\.h|jpeglib")
set(hiding)
file(GLOB_RECURSE engine_files RELATIVE ${SOURCE_DIR}/engine ${SOURCE_DIR}/engine/*.h ${SOURCE_DIR}/engine/*.cpp)
foreach(file IN LISTS engine_files)
    string(REGEX MATCH "^[^/]+" subsystem "${file}")
    list(FIND order ${subsystem} floor)
    file(STRINGS ${SOURCE_DIR}/engine/${file} includes REGEX "^#include [\"<]")
    foreach(include IN LISTS includes)
        if(include MATCHES "^#include \"([a-z]+)/")
            list(FIND order ${CMAKE_MATCH_1} used)
            if(used GREATER floor)
                message(SEND_ERROR "engine/${file}: ${include} points up (${CMAKE_MATCH_1} is listed below ${subsystem})")
                math(EXPR failures "${failures} + 1")
            endif()
        elseif(file MATCHES "\\.h$" AND include MATCHES "^#include <(${third_party})")
            list(APPEND hiding ${file})
        endif()
        # A header's includes of its own subsystem's headers, for the closure below.
        if(file MATCHES "\\.h$" AND include MATCHES "^#include \"(([a-z]+)/)?([A-Za-z0-9_]+\\.h)\"")
            if(NOT CMAKE_MATCH_1 OR CMAKE_MATCH_2 STREQUAL subsystem)
                string(MAKE_C_IDENTIFIER "${file}" key)
                list(APPEND own_${key} ${subsystem}/${CMAKE_MATCH_3})
                list(APPEND headers ${file})
            endif()
        endif()
    endforeach()
endforeach()
# A header that includes such a header shows the same types: the closure.
list(REMOVE_DUPLICATES headers)
set(grown ON)
while(grown)
    set(grown OFF)
    foreach(header IN LISTS headers)
        string(MAKE_C_IDENTIFIER "${header}" key)
        if(NOT header IN_LIST hiding)
            foreach(included IN LISTS own_${key})
                if(included IN_LIST hiding)
                    list(APPEND hiding ${header})
                    set(grown ON)
                    break()
                endif()
            endforeach()
        endif()
    endforeach()
endwhile()
list(REMOVE_DUPLICATES hiding)
list(SORT hiding)

# 3: headers that show a third-party library, included from outside their subsystem (engine, app, ui, tests,
# fuzz). Inside the subsystem, "Name.h" and "<subsystem>/Name.h" are both its own.
file(GLOB_RECURSE all_files ${SOURCE_DIR}/engine/*.h ${SOURCE_DIR}/engine/*.cpp ${SOURCE_DIR}/app/*.h
     ${SOURCE_DIR}/app/*.cpp ${SOURCE_DIR}/ui/*.h ${SOURCE_DIR}/ui/*.cpp ${SOURCE_DIR}/tests/*.h
     ${SOURCE_DIR}/tests/*.cpp ${SOURCE_DIR}/fuzz/*.cpp)
foreach(path IN LISTS all_files)
    file(RELATIVE_PATH file ${SOURCE_DIR} ${path})
    file(STRINGS ${path} includes REGEX "^#include \"[a-z]+/[A-Za-z0-9_]+\\.h\"")
    foreach(include IN LISTS includes)
        string(REGEX REPLACE "^#include \"([^\"]+)\".*" "\\1" header "${include}")
        if(header IN_LIST hiding)
            string(REGEX MATCH "^[^/]+" subsystem "${header}")
            if(NOT file MATCHES "^engine/${subsystem}/")
                message(SEND_ERROR "${file}: includes ${header}, which shows a third-party library's types "
                                   "outside engine/${subsystem}/")
                math(EXPR failures "${failures} + 1")
            endif()
        endif()
    endforeach()
endforeach()

list(LENGTH order subsystems)
list(LENGTH engine_files checked)
list(LENGTH hiding internal)
list(JOIN hiding ", " hiding_text)
if(failures GREATER 0)
    message(FATAL_ERROR "${failures} breach(es) of the engine's floors")
endif()
message(STATUS "floors kept: ${subsystems} subsystems, ${checked} engine files; ${internal} headers that show a "
               "third-party library stay inside their subsystem (${hiding_text})")

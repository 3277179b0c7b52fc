# One INTERFACE target carries the language level, warnings and Qt strictness; every target links it.
add_library(avatar_config INTERFACE)
add_library(Avatar::config ALIAS avatar_config)
target_compile_features(avatar_config INTERFACE cxx_std_20)
set(CMAKE_CXX_EXTENSIONS OFF)
target_compile_options(avatar_config INTERFACE
    $<$<COMPILE_LANG_AND_ID:CXX,GNU,Clang>:-Wall -Wextra -Wpedantic>
    $<$<AND:$<BOOL:${AVATAR_WARNINGS_AS_ERRORS}>,$<COMPILE_LANG_AND_ID:CXX,GNU,Clang>>:-Werror>)
target_compile_definitions(avatar_config INTERFACE
    QT_NO_CAST_FROM_ASCII
    QT_NO_CONTEXTLESS_CONNECT
    QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
    QT_NO_KEYWORDS)

# One formatter, pinned (Debian 12's clang-format 14): `format` rewrites, `format-check` fails on a diff.
find_program(AVATAR_CLANG_FORMAT NAMES clang-format-14 clang-format)
if(AVATAR_CLANG_FORMAT)
    file(GLOB_RECURSE AVATAR_FORMAT_FILES CONFIGURE_DEPENDS
         ${PROJECT_SOURCE_DIR}/engine/*.cpp ${PROJECT_SOURCE_DIR}/engine/*.h
         ${PROJECT_SOURCE_DIR}/app/*.cpp ${PROJECT_SOURCE_DIR}/app/*.h
         ${PROJECT_SOURCE_DIR}/ui/*.cpp ${PROJECT_SOURCE_DIR}/ui/*.h
         ${PROJECT_SOURCE_DIR}/tests/*.cpp ${PROJECT_SOURCE_DIR}/tests/*.h
         ${PROJECT_SOURCE_DIR}/fuzz/*.cpp ${PROJECT_SOURCE_DIR}/fuzz/*.h)
    add_custom_target(format COMMAND ${AVATAR_CLANG_FORMAT} -i ${AVATAR_FORMAT_FILES}
                      WORKING_DIRECTORY ${PROJECT_SOURCE_DIR} COMMENT "clang-format -i")
    add_custom_target(format-check COMMAND ${AVATAR_CLANG_FORMAT} --dry-run --Werror ${AVATAR_FORMAT_FILES}
                      WORKING_DIRECTORY ${PROJECT_SOURCE_DIR} COMMENT "clang-format --dry-run --Werror")
endif()

# The linker. Much of a warm-cache build (CI's clean clone, the fresh root) is linking: about 90 programs and
# test suites, each pulling in our static libraries, dlib, OpenCV, FFmpeg and Qt. GNU ld takes 2.5-3.5 s of CPU
# apiece; gold, part of binutils like ld itself (so nothing more to install), 0.3 s (2 s with AddressSanitizer).
# AUTO picks gold when the compiler accepts it; bfd, gold or lld force one; "default" passes nothing. Only C++
# links get the flag, so nvcc's device links are left alone.
set(AVATAR_LINKER AUTO CACHE STRING "Linker for C++ programs: AUTO (gold when usable), bfd, gold, lld or default")
set_property(CACHE AVATAR_LINKER PROPERTY STRINGS AUTO bfd gold lld default)
set(_avatar_linker "")
if(AVATAR_LINKER STREQUAL "AUTO")
    include(CheckLinkerFlag)
    check_linker_flag(CXX "-fuse-ld=gold" AVATAR_GOLD_USABLE)
    if(AVATAR_GOLD_USABLE)
        set(_avatar_linker gold)
    endif()
elseif(NOT AVATAR_LINKER STREQUAL "default")
    set(_avatar_linker ${AVATAR_LINKER})
endif()
if(_avatar_linker)
    add_link_options($<$<LINK_LANGUAGE:CXX>:-fuse-ld=${_avatar_linker}>)
endif()
message(STATUS "Linker: ${AVATAR_LINKER} -> ${_avatar_linker}")

# Shared by Sanitizers.cmake (ASan + UBSan) and ThreadSanitizer.cmake: a sanitizer build is not a second build
# tree and not a hand-kept list of source paths, but a copy of the real targets (the engine's subsystem
# libraries, app libraries, suites), compiled again with the sanitizer's flags. Included from tests/CMakeLists.txt.
include_guard(DIRECTORY)

# Imported targets engine/core finds for itself (imported targets are seen only below where they are found).
find_package(JPEG REQUIRED)
find_package(PNG REQUIRED)

# avatar_sanitizer_copy(<target> <from> SUFFIX <_asan|_tsan> [RENAME <target>...] [WITHIN <engine folder>...]):
# gives <target> the sources, definitions, include folders and libraries of <from>. WITHIN: only the sources
# that include no header of an engine subsystem outside those folders (an app library whose other sources
# need subsystems a smaller sanitizer build leaves out). The CUDA backend is left out (no AVATAR_HAVE_CUDA: the
# pools are host-only). avatar_engine and each RENAME target become their <SUFFIX> copies among the libraries,
# so that no object is linked twice and nothing uninstrumented of ours slips in.
function(avatar_sanitizer_copy target from)
    cmake_parse_arguments(C "" "SUFFIX" "RENAME;WITHIN" ${ARGN})
    get_target_property(sources ${from} SOURCES)
    get_target_property(source_dir ${from} SOURCE_DIR)
    list(FILTER sources EXCLUDE REGEX "CudaBackend\\.cpp$")
    # The embedded portrait and scripts ($<TARGET_OBJECTS:avatar_resources>) are data: kept as they are.
    list(TRANSFORM sources PREPEND ${source_dir}/ REGEX "^[^/$]")
    if(C_WITHIN)
        get_property(subsystems GLOBAL PROPERTY AVATAR_ENGINE_SUBSYSTEMS)
        set(kept)
        foreach(source IN LISTS sources)
            set(outside OFF)
            if(source MATCHES "\\.cpp$")
                # Read here, so an edit of its includes configures again.
                set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${source})
                file(STRINGS ${source} includes REGEX "^#include \"[a-z]+/")
                foreach(line IN LISTS includes)
                    string(REGEX REPLACE "^#include \"([a-z]+)/.*" "\\1" used "${line}")
                    if(used IN_LIST subsystems AND NOT used IN_LIST C_WITHIN)
                        set(outside ON)
                    endif()
                endforeach()
            endif()
            if(NOT outside)
                list(APPEND kept ${source})
            endif()
        endforeach()
        set(sources ${kept})
    endif()
    target_sources(${target} PRIVATE ${sources})
    # Per-file definitions (FaceNet's model and plugin paths) are set in <from>'s folder; set them here too.
    foreach(source IN LISTS sources)
        get_source_file_property(defs ${source} TARGET_DIRECTORY ${from} COMPILE_DEFINITIONS)
        if(defs)
            set_source_files_properties(${source} TARGET_DIRECTORY ${target} PROPERTIES COMPILE_DEFINITIONS "${defs}")
        endif()
    endforeach()
    foreach(kind "" INTERFACE_)
        get_target_property(defs ${from} ${kind}COMPILE_DEFINITIONS)
        get_target_property(dirs ${from} ${kind}INCLUDE_DIRECTORIES)
        get_target_property(libs ${from} ${kind}LINK_LIBRARIES)
        foreach(list defs dirs libs)
            if(NOT ${list})
                set(${list})
            endif()
        endforeach()
        list(FILTER defs EXCLUDE REGEX "AVATAR_HAVE_CUDA")
        # Private libraries of a static library reach its INTERFACE_LINK_LIBRARIES as $<LINK_ONLY:name>.
        foreach(library avatar_engine ${C_RENAME})
            list(TRANSFORM libs REPLACE "^${library}$" "${library}${C_SUFFIX}")
            list(TRANSFORM libs REPLACE "^[$]<LINK_ONLY:${library}>$" "$<LINK_ONLY:${library}${C_SUFFIX}>")
        endforeach()
        set_property(TARGET ${target} APPEND PROPERTY ${kind}COMPILE_DEFINITIONS ${defs})
        set_property(TARGET ${target} APPEND PROPERTY ${kind}INCLUDE_DIRECTORIES ${dirs})
        set_property(TARGET ${target} APPEND PROPERTY ${kind}LINK_LIBRARIES ${libs})
    endforeach()
endfunction()

# avatar_sanitizer_engine(SUFFIX <_asan|_tsan> FLAGS <interface target> RENAMED <variable>
#                         SUBSYSTEMS <engine folder>... [LIBRARIES <app library>...]):
# avatar_engine<SUFFIX>, an INTERFACE library of the copies avatar_<folder><SUFFIX> of the subsystems named and
# of every subsystem they use (read from the subsystem libraries' own links, so nothing is listed twice), each
# compiled with FLAGS. Then each app library of LIBRARIES is copied as <library><SUFFIX>, against those copies,
# with the sources that need no other subsystem.
# Sets <variable> in the caller: the targets that avatar_sanitizer_copy renames for the suites of this build.
function(avatar_sanitizer_engine)
    cmake_parse_arguments(E "" "SUFFIX;FLAGS;RENAMED" "SUBSYSTEMS;LIBRARIES" ${ARGN})
    get_property(all GLOBAL PROPERTY AVATAR_ENGINE_SUBSYSTEMS)
    set(wanted ${E_SUBSYSTEMS})
    set(closure)
    while(wanted)
        list(POP_FRONT wanted name)
        if(name IN_LIST closure)
            continue()
        endif()
        list(APPEND closure ${name})
        get_target_property(links avatar_${name} LINK_LIBRARIES)
        foreach(link IN LISTS links)
            if(link MATCHES "^avatar_(.+)$" AND CMAKE_MATCH_1 IN_LIST all)
                list(APPEND wanted ${CMAKE_MATCH_1})
            endif()
        endforeach()
    endwhile()
    set(rename ${E_LIBRARIES})
    foreach(name IN LISTS closure)
        list(APPEND rename avatar_${name})
    endforeach()
    add_library(avatar_engine${E_SUFFIX} INTERFACE)
    foreach(name IN LISTS closure)
        add_library(avatar_${name}${E_SUFFIX} STATIC)
        avatar_sanitizer_copy(avatar_${name}${E_SUFFIX} avatar_${name} SUFFIX ${E_SUFFIX} RENAME ${rename})
        target_link_libraries(avatar_${name}${E_SUFFIX} PUBLIC ${E_FLAGS})
        target_link_libraries(avatar_engine${E_SUFFIX} INTERFACE avatar_${name}${E_SUFFIX})
    endforeach()
    foreach(library IN LISTS E_LIBRARIES)
        add_library(${library}${E_SUFFIX} STATIC)
        avatar_sanitizer_copy(${library}${E_SUFFIX} ${library} SUFFIX ${E_SUFFIX} RENAME ${rename} WITHIN ${closure})
    endforeach()
    set(${E_RENAMED} ${rename} PARENT_SCOPE)
endfunction()

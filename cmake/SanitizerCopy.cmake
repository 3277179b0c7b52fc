# Shared by Sanitizers.cmake (ASan + UBSan) and ThreadSanitizer.cmake: a sanitizer build is not a second build
# tree and not a hand-kept list of source paths, but a copy of the real targets, compiled again with the
# sanitizer's flags. Included from tests/CMakeLists.txt.
include_guard(DIRECTORY)

# Imported targets engine/core finds for itself (imported targets are seen only below where they are found).
find_package(JPEG REQUIRED)
find_package(PNG REQUIRED)

# avatar_sanitizer_copy(<target> <from> SUFFIX <_asan|_tsan> [SUBSYSTEMS <engine folder>...] [LIBRARIES <lib>...]):
# gives <target> the sources, definitions, include folders and libraries of <from>. For <from> avatar_engine,
# only the sources of the SUBSYSTEMS folders are taken. The CUDA backend is left out (no AVATAR_HAVE_CUDA: the
# pools are host-only). avatar_engine and each of LIBRARIES become their <SUFFIX> copies among the libraries,
# so that no object is linked twice and nothing uninstrumented of ours slips in.
function(avatar_sanitizer_copy target from)
    cmake_parse_arguments(C "" "SUFFIX" "SUBSYSTEMS;LIBRARIES" ${ARGN})
    get_target_property(sources ${from} SOURCES)
    get_target_property(source_dir ${from} SOURCE_DIR)
    list(FILTER sources EXCLUDE REGEX "CudaBackend\\.cpp$")
    if(from STREQUAL "avatar_engine")
        list(JOIN C_SUBSYSTEMS "|" subsystems)
        # The embedded portrait and scripts ($<TARGET_OBJECTS:avatar_resources>) are data: kept as they are.
        list(FILTER sources INCLUDE REGEX "/engine/(${subsystems})/|^\\$<TARGET_OBJECTS:")
    endif()
    list(TRANSFORM sources PREPEND ${source_dir}/ REGEX "^[^/$]")
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
        foreach(library avatar_engine ${C_LIBRARIES})
            list(TRANSFORM libs REPLACE "^${library}$" "${library}${C_SUFFIX}")
        endforeach()
        set_property(TARGET ${target} APPEND PROPERTY ${kind}COMPILE_DEFINITIONS ${defs})
        set_property(TARGET ${target} APPEND PROPERTY ${kind}INCLUDE_DIRECTORIES ${dirs})
        set_property(TARGET ${target} APPEND PROPERTY ${kind}LINK_LIBRARIES ${libs})
    endforeach()
endfunction()

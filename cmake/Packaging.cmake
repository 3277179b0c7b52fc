# Man pages, shell completion and the Debian package (packaging/README.md).
#
# Man pages: help2man runs each built program with --help and --version at build time, so a page is the
# program's own help and cannot disagree with it (tst: man_pages). Completion scripts: packaging/completion.
# The package: `cmake --build build/release --target package` → avatar-studio_<version>_amd64.deb through CPack's
# DEB generator. CPack rather than debian/: the install rules above are the one list of what goes where, and
# dpkg-shlibdeps turns the binaries' libraries into Depends, so nothing is listed twice.

find_program(AVATAR_HELP2MAN help2man REQUIRED)
set(AVATAR_MAN_DIR ${PROJECT_BINARY_DIR}/man)
file(MAKE_DIRECTORY ${AVATAR_MAN_DIR})
set(AVATAR_MAN_PAGES)
# avatar_man_page(TARGET "one-line description" [help2man options]): TARGET.1 from TARGET's --help and --version.
function(avatar_man_page target description)
    set(page ${AVATAR_MAN_DIR}/${target}.1)
    add_custom_command(OUTPUT ${page} ${page}.gz
        COMMAND ${AVATAR_HELP2MAN} --no-info --no-discard-stderr --section=1 --name=${description} ${ARGN}
                --include=${PROJECT_SOURCE_DIR}/packaging/man/common.h2m --output=${page} $<TARGET_FILE:${target}>
        COMMAND gzip -9nkf ${page}
        DEPENDS ${target} ${PROJECT_SOURCE_DIR}/packaging/man/common.h2m
        COMMENT "help2man ${target}.1" VERBATIM)
    list(APPEND AVATAR_MAN_PAGES ${page})
    set(AVATAR_MAN_PAGES ${AVATAR_MAN_PAGES} PARENT_SCOPE)
    install(FILES ${page}.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
endfunction()

avatar_man_page(avatar-render "render a lip-synced talking-presenter video from a script and a portrait")
avatar_man_page(avatar-bench "measure Avatar Studio's render, cache, encoder and face-model speed")
if(TARGET avatar-studio)
    # Qt's --version prints the application's display name ("Avatar Studio 0.1.0"), from which help2man would
    # take "Avatar" as the program's name: the same version, under the command's name.
    avatar_man_page(avatar-studio "the Avatar Studio desktop application"
                    "--version-string=avatar-studio ${PROJECT_VERSION}")
endif()
add_custom_target(man_pages ALL DEPENDS ${AVATAR_MAN_PAGES})

# Shell completion, where bash-completion and zsh look for it.
set(AVATAR_COMPLETION_DIR ${PROJECT_SOURCE_DIR}/packaging/completion)
# bash-completion loads the file named after the command: one script, under both names.
foreach(program avatar-render avatar-studio)
    install(FILES ${AVATAR_COMPLETION_DIR}/avatar.bash DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
            RENAME ${program})
    install(FILES ${AVATAR_COMPLETION_DIR}/_${program} DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)
endforeach()

install(FILES ${PROJECT_SOURCE_DIR}/packaging/linux/copyright DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/avatar-studio)
# A native package's changelog, compressed as Debian policy wants it (-n: no time stamp, reproducible).
add_custom_command(OUTPUT ${PROJECT_BINARY_DIR}/changelog.gz
    COMMAND ${CMAKE_COMMAND} -E copy ${PROJECT_SOURCE_DIR}/packaging/linux/changelog ${PROJECT_BINARY_DIR}/changelog
    COMMAND gzip -9nf ${PROJECT_BINARY_DIR}/changelog
    DEPENDS ${PROJECT_SOURCE_DIR}/packaging/linux/changelog VERBATIM)
add_custom_target(package_changelog ALL DEPENDS ${PROJECT_BINARY_DIR}/changelog.gz)
install(FILES ${PROJECT_BINARY_DIR}/changelog.gz DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/avatar-studio)
install(FILES ${PROJECT_SOURCE_DIR}/docs/LICENSES.md DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/avatar-studio)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME avatar-studio)
set(CPACK_PACKAGE_VENDOR "The Avatar Studio developers")
set(CPACK_PACKAGE_CONTACT "The Avatar Studio developers <maintainers@avatarstudio.io>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "offline lip-synced talking-presenter video studio")
# The long description; CPack puts the summary above it and indents it.
set(CPACK_PACKAGE_DESCRIPTION "Avatar Studio turns a script and a portrait into a lip-synced
talking-presenter video (H.264/AAC MP4), entirely on the local computer:
speech synthesis, mouth, eye and head animation, optional captions.

This package holds the desktop studio (avatar-studio), the command-line
renderer (avatar-render), the benchmark (avatar-bench) and the face-api
model weights.")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT) # avatar-studio_<version>_amd64.deb
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_PACKAGE_SECTION video)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE_URL https://avatarstudio.io)
set(CPACK_STRIP_FILES ON)
# Only the programs and their data: not the engine's static library (install component "development").
set(CPACK_INSTALL_CMAKE_PROJECTS "${PROJECT_BINARY_DIR};${PROJECT_NAME};Unspecified;/")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# What dpkg-shlibdeps cannot see: data read at run time (dlib's landmark model, espeak-ng's voices, the caption
# fonts), OpenBLAS behind libblas.so.3 (Debian's reference BLAS makes the face models 30x slower) and Qt's
# platform plugins (the studio's window).
set(CPACK_DEBIAN_PACKAGE_DEPENDS
    "libdlib-data, espeak-ng-data, fonts-dejavu-core, fonts-wqy-microhei, fontconfig, libopenblas0-pthread, qt6-qpa-plugins")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "qt6-translations-l10n")
include(CPack)

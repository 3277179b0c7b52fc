# Third-party libraries, all from Debian 12 packages (see packaging/setup-debian.sh).
find_package(Threads REQUIRED)
find_package(PkgConfig REQUIRED)

pkg_check_modules(FFMPEG REQUIRED IMPORTED_TARGET libavcodec libavformat libavfilter libavutil libswscale libswresample)
pkg_check_modules(ESPEAKNG REQUIRED IMPORTED_TARGET espeak-ng)
pkg_check_modules(LIBASS REQUIRED IMPORTED_TARGET libass)
pkg_check_modules(SQLITE3 REQUIRED IMPORTED_TARGET sqlite3)
# SHA-256 of the cache keys (engine/cache/Sha256): OpenSSL's libcrypto, Debian's libssl-dev.
find_package(OpenSSL REQUIRED COMPONENTS Crypto)
# JSON (engine/core/Json.cpp, JsonValue.cpp): nlohmann-json, header-only, Debian's nlohmann-json3-dev.
find_package(nlohmann_json 3.10 REQUIRED)
# The profiler's PDF report (engine/profile/PdfWriter.cpp): Cairo's PDF surface, Debian's libcairo2-dev.
pkg_check_modules(CAIRO REQUIRED IMPORTED_TARGET cairo-pdf)
# Unicode text rules (engine/core/TextBreaks.cpp, CodePoints.cpp): sentences, line breaks, grapheme clusters
# and East-Asian width for the script and the captions, from ICU (Debian's libicu-dev). The break iterators
# live in the common library (icu-uc).
pkg_check_modules(ICU REQUIRED IMPORTED_TARGET icu-uc)

# dlib: Debian ships a shared libdlib built with BLAS/LAPACK. Its pkg-config file lists those as bare paths,
# which CMake would place before our objects, so the libraries are found here instead. dlib's headers are
# heavy: only engine/face/FaceAnalyzer.cpp includes them.
find_path(DLIB_INCLUDE_DIR dlib/image_processing.h REQUIRED)
set(AVATAR_DLIB_LIBS)
foreach(lib dlib lapack blas)
    find_library(AVATAR_LIB_${lib} ${lib} REQUIRED)
    list(APPEND AVATAR_DLIB_LIBS ${AVATAR_LIB_${lib}})
endforeach()
add_library(avatar_dlib INTERFACE)
target_include_directories(avatar_dlib SYSTEM INTERFACE ${DLIB_INCLUDE_DIR})
target_link_libraries(avatar_dlib INTERFACE ${AVATAR_DLIB_LIBS})

# Flite has no pkg-config file: find the core, the English front end and the voices we offer.
find_path(FLITE_INCLUDE_DIR flite/flite.h REQUIRED)
set(AVATAR_FLITE_LIBS)
foreach(lib flite_cmu_us_slt flite_cmu_us_awb flite_cmu_us_rms flite_cmu_us_kal16 flite_cmu_us_kal
            flite_usenglish flite_cmulex flite)
    find_library(AVATAR_LIB_${lib} ${lib} REQUIRED)
    list(APPEND AVATAR_FLITE_LIBS ${AVATAR_LIB_${lib}})
endforeach()
add_library(avatar_flite INTERFACE)
target_include_directories(avatar_flite SYSTEM INTERFACE ${FLITE_INCLUDE_DIR})
target_link_libraries(avatar_flite INTERFACE ${AVATAR_FLITE_LIBS} m)

# OpenCV: only core, imgproc and imgcodecs (Debian's split -dev packages carry no CMake config).
find_path(OPENCV_INCLUDE_DIR opencv2/core.hpp PATH_SUFFIXES opencv4 REQUIRED)
set(AVATAR_OPENCV_LIBS)
foreach(lib opencv_imgcodecs opencv_imgproc opencv_core)
    find_library(AVATAR_LIB_${lib} ${lib} REQUIRED)
    list(APPEND AVATAR_OPENCV_LIBS ${AVATAR_LIB_${lib}})
endforeach()
add_library(avatar_opencv INTERFACE)
target_include_directories(avatar_opencv SYSTEM INTERFACE ${OPENCV_INCLUDE_DIR})
target_link_libraries(avatar_opencv INTERFACE ${AVATAR_OPENCV_LIBS})

# LibTorch from Debian's libtorch-dev (CPU): runs the face-api networks of engine/facenet. Only its ATen tensor
# library is used, and only by the .cpp files of engine/facenet; Debian's TorchConfig.cmake drags in the whole
# Caffe2 build configuration, so the headers and libraries are found by hand. SYSTEM keeps -Werror off them.
find_path(TORCH_ATEN_INCLUDE_DIR ATen/ATen.h REQUIRED)
find_library(AVATAR_LIB_torch_cpu torch_cpu REQUIRED)
find_library(AVATAR_LIB_c10 c10 REQUIRED)
add_library(avatar_torch INTERFACE)
target_include_directories(avatar_torch SYSTEM INTERFACE ${TORCH_ATEN_INCLUDE_DIR})
target_link_libraries(avatar_torch INTERFACE ${AVATAR_LIB_torch_cpu} ${AVATAR_LIB_c10})

# The 68-point landmark model from Debian's libdlib-data.
find_file(AVATAR_DLIB_LANDMARK_MODEL shape_predictor_68_face_landmarks.dat
          PATHS /usr/share/dlib NO_DEFAULT_PATH)
if(NOT AVATAR_DLIB_LANDMARK_MODEL)
    set(AVATAR_DLIB_LANDMARK_MODEL /usr/share/dlib/shape_predictor_68_face_landmarks.dat)
    message(WARNING "dlib landmark model not found; install libdlib-data")
endif()

# Qt: the engine never links it; tests (QtCore + QtTest) and the UI do.
if(AVATAR_BUILD_TESTS OR AVATAR_BUILD_UI)
    find_package(Qt6 REQUIRED COMPONENTS Core Test)
endif()
# The studio (ui/, app/studio): widgets, charts, the FFmpeg-backed player, the SVG icon and the translations.
if(AVATAR_BUILD_UI)
    find_package(Qt6 6.4 REQUIRED COMPONENTS Widgets Charts Multimedia MultimediaWidgets Concurrent Svg
                 LinguistTools)
endif()

# CUDA: AUTO turns it on when nvcc is found. Nothing is compiled with it yet; the memory manager's device
# backend (#5) is the first user.
set(AVATAR_CUDA_ENABLED OFF)
if(NOT AVATAR_WITH_CUDA STREQUAL "OFF")
    find_program(AVATAR_NVCC nvcc HINTS /usr/local/cuda/bin ENV CUDA_PATH PATH_SUFFIXES bin)
    if(AVATAR_NVCC)
        set(AVATAR_CUDA_ENABLED ON)
    elseif(AVATAR_WITH_CUDA STREQUAL "ON")
        message(FATAL_ERROR "AVATAR_WITH_CUDA=ON but nvcc was not found")
    endif()
endif()

# PocketSphinx (engine/voice): Debian's sphinxbase.pc names an include folder the package does not have, so the
# headers and libraries are found by hand.
find_path(POCKETSPHINX_INCLUDE_DIR pocketsphinx.h PATH_SUFFIXES pocketsphinx REQUIRED)
find_path(SPHINXBASE_INCLUDE_DIR sphinxbase/cmd_ln.h PATH_SUFFIXES ${CMAKE_LIBRARY_ARCHITECTURE} REQUIRED)
find_library(POCKETSPHINX_LIB pocketsphinx REQUIRED)
find_library(SPHINXBASE_LIB sphinxbase REQUIRED)
add_library(avatar_pocketsphinx INTERFACE)
target_include_directories(avatar_pocketsphinx SYSTEM INTERFACE ${POCKETSPHINX_INCLUDE_DIR} ${SPHINXBASE_INCLUDE_DIR}
                                                                 ${SPHINXBASE_INCLUDE_DIR}/sphinxbase)
target_link_libraries(avatar_pocketsphinx INTERFACE ${POCKETSPHINX_LIB} ${SPHINXBASE_LIB} m)

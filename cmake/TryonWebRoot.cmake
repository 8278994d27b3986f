# Where the installed browser client lies relative to the installed
# executables (cmake/install.cmake puts them there), so an installed or
# extracted package finds its web root wherever its prefix is. Sets
# tryon_web_root_from_bindir; config/server_config.cpp gets it as
# TRYON_WEB_ROOT_FROM_BINDIR in both the main and the fuzz build.
include(GNUInstallDirs)
file(RELATIVE_PATH tryon_web_root_from_bindir
     "/prefix/${CMAKE_INSTALL_BINDIR}"
     "/prefix/${CMAKE_INSTALL_DATADIR}/tryon-server/web")

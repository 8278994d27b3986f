# Install layout and Debian packages (docs/OPERATIONS.md, "Installing").
#
#   <prefix>/bin/tryon-server, tryonctl        package tryon-server
#   <prefix>/share/tryon-server/web/           package tryon-server (the
#                                              server finds it relative to
#                                              its own executable)
#   <prefix>/share/doc/tryon-server/           package tryon-server
#   /lib/systemd/system/tryon-server.service   package tryon-server
#   /etc/tryon-server/tryon-server.env         package tryon-server (conffile)
#   <prefix>/bin/tryon-ai                      package tryon-ai
#   /lib/systemd/system/tryon-ai.service       package tryon-ai
#   /etc/tryon-server/tryon-ai.env             package tryon-ai (conffile)
#
# The SQL migrations are compiled into tryon-server (persistence/), so no
# migration files are installed. The units and environment files name
# /usr/bin: the packages use the prefix /usr (scripts/package).
include(GNUInstallDirs)
# `cpack` and the install target package what is built and never start a
# build themselves (scripts/package builds first; package_install_test runs
# inside ctest, after the build, and must not rebuild with ninja's default
# parallelism).
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)

install(TARGETS tryon-server tryonctl
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT server)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/web/
        DESTINATION ${CMAKE_INSTALL_DATADIR}/tryon-server/web
        COMPONENT server
        PATTERN node_modules EXCLUDE
        PATTERN ".*" EXCLUDE)
set(tryon_docdir ${CMAKE_INSTALL_DATADIR}/doc/tryon-server)
install(FILES ${PROJECT_SOURCE_DIR}/README.md
        DESTINATION ${tryon_docdir} COMPONENT server)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/
        DESTINATION ${tryon_docdir}/docs COMPONENT server
        PATTERN "*.png" EXCLUDE)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/systemd/tryon-server.service
        DESTINATION /lib/systemd/system COMPONENT server)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/tryon-server.env
        DESTINATION /etc/tryon-server COMPONENT server)

install(TARGETS tryon-ai
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT ai)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/systemd/tryon-ai.service
        DESTINATION /lib/systemd/system COMPONENT ai)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/tryon-ai.env
        DESTINATION /etc/tryon-server COMPONENT ai)

# -- CPack: one .deb per component -------------------------------------------
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME tryon)
set(CPACK_PACKAGE_VENDOR "tryon-server developers")
set(CPACK_PACKAGE_CONTACT "tryon-server developers <tryon@localhost>")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "Live virtual nail try-on streaming server")
# Absolute destinations (/etc, /lib/systemd) need DESTDIR staging.
set(CPACK_SET_DESTDIR ON)
set(CPACK_INSTALL_PREFIX /usr)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL server ai)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_COMPRESSION_TYPE gzip)
set(CPACK_DEBIAN_SERVER_PACKAGE_NAME tryon-server)
set(CPACK_DEBIAN_SERVER_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_SERVER_PACKAGE_RECOMMENDS "tryon-ai, postgresql, redis-server")
set(CPACK_DEBIAN_SERVER_PACKAGE_CONTROL_EXTRA
    "${PROJECT_SOURCE_DIR}/packaging/debian/tryon-server/conffiles;${PROJECT_SOURCE_DIR}/packaging/debian/tryon-server/postinst;${PROJECT_SOURCE_DIR}/packaging/debian/tryon-server/prerm;${PROJECT_SOURCE_DIR}/packaging/debian/tryon-server/postrm")
set(CPACK_DEBIAN_AI_PACKAGE_NAME tryon-ai)
set(CPACK_DEBIAN_AI_PACKAGE_RECOMMENDS "tryon-server")
set(CPACK_DEBIAN_AI_PACKAGE_CONTROL_EXTRA
    "${PROJECT_SOURCE_DIR}/packaging/debian/tryon-ai/conffiles;${PROJECT_SOURCE_DIR}/packaging/debian/tryon-ai/postinst;${PROJECT_SOURCE_DIR}/packaging/debian/tryon-ai/prerm;${PROJECT_SOURCE_DIR}/packaging/debian/tryon-ai/postrm")
set(CPACK_COMPONENT_SERVER_DESCRIPTION
    "tryon-server, tryonctl, the browser client and the systemd unit")
set(CPACK_COMPONENT_AI_DESCRIPTION
    "tryon-ai, the reference AI rendering service, and its systemd unit")
include(CPack)

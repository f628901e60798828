# What `cmake --install` puts where, and the Debian package CPack builds from it:
#   cd build && cpack -G DEB    ->  lyncupdate_<version>_amd64.deb
# <version> is the full version (cmake/GitVersion.cmake, read by CPack from the build tree at
# packaging time, so it is the version the binary prints). The library dependencies are
# found by dpkg-shlibdeps (dpkg-dev) from the binary itself.
#
# The shipped scenarios, runbooks and command catalogue are compiled into the binary
# (scenarios/CMakeLists.txt), which therefore finds them wherever it is installed; the files
# under share/lyncupdate/scenarios are copies for people to read and copy.
include(GNUInstallDirs)

install(FILES "${LYNCUPDATE_DOC_DIR}/lyncupdate.1.gz" DESTINATION "${CMAKE_INSTALL_MANDIR}/man1")
install(FILES "${LYNCUPDATE_DOC_DIR}/lyncupdate-scenario.5.gz"
  DESTINATION "${CMAKE_INSTALL_MANDIR}/man5")
install(FILES "${LYNCUPDATE_DOC_DIR}/lyncupdate.bash"
  DESTINATION "${CMAKE_INSTALL_DATADIR}/bash-completion/completions" RENAME lyncupdate)
install(FILES "${LYNCUPDATE_DOC_DIR}/_lyncupdate"
  DESTINATION "${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions")
install(FILES README.md CHANGELOG.md docs/json.md docs/scenario-format.md docs/domain-notes.md
              docs/catalogue.md docs/catalogue-native.md
  DESTINATION "${CMAKE_INSTALL_DOCDIR}")
install(DIRECTORY docs/schema/ DESTINATION "${CMAKE_INSTALL_DATADIR}/lyncupdate/schema")
install(FILES scenarios/contoso.json scenarios/enterprise.json scenarios/enterprise-rollout.json
  DESTINATION "${CMAKE_INSTALL_DATADIR}/lyncupdate/scenarios")
install(DIRECTORY scenarios/runbooks/ DESTINATION "${CMAKE_INSTALL_DATADIR}/lyncupdate/scenarios/runbooks")
install(FILES scenarios/catalogue/cmdlets.json scenarios/catalogue/native.json
  DESTINATION "${CMAKE_INSTALL_DATADIR}/lyncupdate/scenarios/catalogue")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME lyncupdate)
set(CPACK_PACKAGE_VENDOR lyncupdate)
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
  "rehearse, verify and run Lync Server 2013 cumulative updates")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
  "Rehearses Microsoft's runbook for updating Lync Server 2013 back ends, Standard Edition
servers and front ends against simulated timing on a model of the deployment, checks every
run against the rules that make the maintenance night dangerous (back-end outage limit, step
preconditions, pool and routing-group quorum, mirror pairs, the window), proves plans over
every operator ordering, finds the fastest safe plan, and runs it on the real servers with a
journal.")
set(LYNCUPDATE_PACKAGE_MAINTAINER "lyncupdate maintainers <lyncupdate@localhost>" CACHE STRING
  "the Maintainer field of the Debian package")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${LYNCUPDATE_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# `live --transport ssh` runs the OpenSSH client; everything else works without it.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS openssh-client)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_PROJECT_CONFIG_FILE "${PROJECT_BINARY_DIR}/CPackVersion.cmake")
include(CPack)

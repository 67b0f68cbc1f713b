/**
 * FFM bindings to libpanolm, generated from its C headers, and the loader of the bundled library. Not an
 * API: the package is exported only to panolm's own modules. The library itself comes from the
 * {@code org.panolm.libpanolm} module (the platform jar of panolm-native) or the class path.
 */
@SuppressWarnings("module") // qualified exports name modules built after this one
module org.panolm.bindings {
    exports org.panolm.bindings to org.panolm.core, org.panolm.cli, org.panolm.libolm;
}

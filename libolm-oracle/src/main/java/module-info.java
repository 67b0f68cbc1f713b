/** libolm through FFM, for panolm's differential tests only (never a dependency of the product). */
module org.panolm.libolm {
    requires org.panolm.bindings;

    exports org.panolm.libolm;
}

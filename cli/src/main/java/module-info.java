/**
 * The {@code panolm} command. An application, not a library: it exports nothing, and it is an open module
 * because picocli and Jackson fill its option and record classes by reflection. Run it on the module path
 * with {@code --add-modules org.panolm.libpanolm -m org.panolm.cli/org.panolm.cli.Main}.
 */
open module org.panolm.cli {
    requires org.panolm.core;
    requires org.panolm.bindings;
    requires org.panolm.testkit;
    requires org.panolm.client;
    requires org.panolm.engine;
    requires java.net.http;
    requires com.fasterxml.jackson.databind;
    requires info.picocli;
    requires me.tongfei.progressbar;
}

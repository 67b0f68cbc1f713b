package org.panolm.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

import org.panolm.PanolmException;
import org.panolm.cli.backup.BackupCommand;
import org.panolm.cli.export.ExportCommand;
import org.panolm.cli.bench.AotTrainingCommand;
import org.panolm.cli.bench.BenchCommand;
import org.panolm.cli.demo.DemoCommand;
import org.panolm.cli.history.HistoryCommand;
import org.panolm.cli.online.KeysCommand;
import org.panolm.cli.online.LoginCommand;
import org.panolm.cli.online.LogoutCommand;
import org.panolm.cli.online.SyncCommand;
import org.panolm.cli.recovery.RecoveryKeyCommand;
import org.panolm.cli.ssss.SsssCommand;
import org.panolm.cli.testserver.TestServerCommand;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code panolm}: the command line tool. Exit statuses are those of {@link ExitCodes}. */
@Command(name = "panolm",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Matrix end-to-end encryption tools: bulk room-history decryption, key backup restore, "
                + "room-key export files, Security Keys and secret storage.",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:success", "1:fatal error (nothing usable was written)",
                "2:finished, but some items failed (the output says which and why)"})
public final class Main implements Runnable {
    /** The subcommands, in the order the help lists them. */
    private static final List<Class<?>> COMMANDS = List.of(CommandLine.HelpCommand.class, HistoryCommand.class,
            BackupCommand.class, ExportCommand.class, RecoveryKeyCommand.class, SsssCommand.class, DemoCommand.class,
            BenchCommand.class, AotTrainingCommand.class, TestServerCommand.class, LoginCommand.class, SyncCommand.class,
            LogoutCommand.class, KeysCommand.class);

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is needed");
    }

    public static void main(String[] args) {
        StandardStreams.init();
        System.exit(run(args));
    }

    public static int run(String... args) {
        CommandLine cl = commandLine(args);
        cl.setExecutionExceptionHandler(Main::fatal);
        cl.setParameterExceptionHandler((e, ignoredArgs) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println("panolm: " + Terminal.printable(Errors.describe(e)));
            err.println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            err.flush();
            return ExitCodes.FATAL;
        });
        int code = cl.execute(args);
        cl.getOut().flush();
        if (System.out.checkError() || cl.getOut().checkError()) {
            // What was printed (help, a result) did not all arrive: a full disk, a closed pipe.
            System.err.println("panolm: cannot write to standard output");
            return ExitCodes.FATAL;
        }
        return code;
    }

    /**
     * The command tree for {@code args}. Picocli reads every registered command's annotations when it is
     * registered (about 0.15 s of CPU for all of them, before any work): when the first argument names a
     * subcommand, only that one is registered; anything else (help, an option, a mistake) gets them all, so
     * the help and the error messages list every command.
     */
    static CommandLine commandLine(String... args) {
        CommandLine cl = new CommandLine(new Main());
        String first = args.length > 0 ? args[0] : null;
        boolean one = first != null && COMMANDS.stream().anyMatch(c -> names(c).contains(first))
                && !"help".equals(first);
        for (Class<?> c : COMMANDS) {
            if (!one || names(c).contains(first)) {
                cl.addSubcommand(c);
            }
        }
        CommandLine history = cl.getSubcommands().get("history");
        if (history != null) {
            // history export is an online command; it joins the history commands here, where commands are registered.
            history.addSubcommand(new org.panolm.cli.online.HistoryExportCommand());
        }
        return cl;
    }

    private static List<String> names(Class<?> command) {
        Command c = command.getAnnotation(Command.class);
        List<String> names = new ArrayList<>(List.of(c.aliases()));
        names.add(c.name());
        return names;
    }

    static int fatal(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        if (e instanceof CliException || e instanceof PanolmException
                || e instanceof org.panolm.bindings.NativeLibraryUnavailableException
                || e instanceof org.panolm.client.MatrixApiException
                || e instanceof org.panolm.engine.store.StoreException) {
            err.println("panolm: " + Terminal.printable(Errors.describe(e)));
        } else if (e instanceof java.io.IOException io && !(e instanceof com.fasterxml.jackson.core.JacksonException)) {
            err.println("panolm: input/output error: " + Terminal.printable(Errors.describe(io)));
        } else {
            err.println("panolm: internal error (a bug in panolm; please report it with what follows):");
            printWithoutMessages(e, err);
        }
        err.flush();
        return ExitCodes.FATAL;
    }

    /**
     * The exception's types and stack frames, but not its messages: an unexpected exception may come from a
     * library that quotes its input (Jackson does), and the input may hold a secret.
     */
    static void printWithoutMessages(Throwable e, PrintWriter err) {
        String prefix = "";
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            err.println(prefix + t.getClass().getName());
            for (StackTraceElement frame : t.getStackTrace()) {
                err.println("\tat " + frame);
            }
            prefix = "Caused by: ";
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"panolm " + (v == null ? "(development build)" : v)};
        }
    }
}

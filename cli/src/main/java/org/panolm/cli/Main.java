package org.panolm.cli;

import java.io.PrintWriter;

import org.panolm.PanolmException;
import org.panolm.cli.backup.BackupCommand;
import org.panolm.cli.export.ExportCommand;
import org.panolm.cli.bench.BenchCommand;
import org.panolm.cli.demo.DemoCommand;
import org.panolm.cli.history.HistoryCommand;
import org.panolm.cli.recovery.RecoveryKeyCommand;
import org.panolm.cli.ssss.SsssCommand;

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
        subcommands = {CommandLine.HelpCommand.class, HistoryCommand.class, BackupCommand.class, ExportCommand.class,
                RecoveryKeyCommand.class, SsssCommand.class, DemoCommand.class, BenchCommand.class},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:success", "1:fatal error (nothing usable was written)",
                "2:finished, but some items failed (the output says which and why)"})
public final class Main implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is needed");
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler(Main::fatal);
        cl.setParameterExceptionHandler((e, ignoredArgs) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println("panolm: " + e.getMessage());
            err.println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            err.flush();
            return ExitCodes.FATAL;
        });
        return cl.execute(args);
    }

    private static int fatal(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        if (e instanceof CliException || e instanceof PanolmException
                || e instanceof org.panolm.bindings.NativeLibraryUnavailableException) {
            err.println("panolm: " + e.getMessage());
        } else if (e instanceof java.io.IOException) {
            err.println("panolm: input/output error: " + e.getMessage());
        } else {
            err.println("panolm: internal error: " + e);
            e.printStackTrace(err);
        }
        err.flush();
        return ExitCodes.FATAL;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"panolm " + (v == null ? "(development build)" : v)};
        }
    }
}

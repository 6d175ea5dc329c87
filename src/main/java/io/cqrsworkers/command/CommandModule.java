package io.cqrsworkers.command;

import org.apache.camel.CamelContext;

/**
 * A view of the command pipeline's registry beans, for callers not yet moved to injecting them.
 *
 * @deprecated {@link CommandConfiguration} binds the beans; look them up by name ({@code CommandStore.BEAN}, ...)
 * or type, or inject them. Kept until the import package no longer calls it.
 */
@Deprecated(forRemoval = true)
public final class CommandModule {

    private final CamelContext context;

    private CommandModule(CamelContext context) {
        this.context = context;
    }

    public static CommandModule of(CamelContext context) {
        return new CommandModule(context);
    }

    public CommandStore store() {
        return bean(CommandStore.BEAN, CommandStore.class);
    }

    public CommandService service() {
        return bean(CommandService.BEAN, CommandService.class);
    }

    public Notifier notifier() {
        return bean(Notifier.BEAN, Notifier.class);
    }

    public CommandTables tables() {
        return bean(CommandTables.BEAN, CommandTables.class);
    }

    public DataSync dataSync() {
        return bean(DataSync.BEAN, DataSync.class);
    }

    public LargeAttributes attributes() {
        return bean(LargeAttributes.BEAN, LargeAttributes.class);
    }

    private <T> T bean(String name, Class<T> type) {
        T bean = context.getRegistry().lookupByNameAndType(name, type);
        if (bean == null) {
            throw new IllegalStateException("No bean " + name + ": is CommandConfiguration configured?");
        }
        return bean;
    }
}

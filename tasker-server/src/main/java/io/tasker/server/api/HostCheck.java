package io.tasker.server.api;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The defence against DNS rebinding: a web page on {@code evil.example} that makes its name
 * resolve to this server's address can send requests the browser takes for its own, but they carry
 * {@code Host: evil.example}. Only this server's own names and addresses are answered: loopback,
 * {@code localhost}, the host it binds to (every address of the machine when that is a wildcard)
 * and the names allowed with {@code --allow-host}.
 */
final class HostCheck {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern NAME = Pattern.compile("[a-z0-9_]([a-z0-9_-]{0,62})(\\.[a-z0-9_]([a-z0-9_-]{0,62}))*");
    private static final Pattern PORT = Pattern.compile("\\d{1,5}");

    /** A {@code Host} header taken apart; {@code port} is -1 when it names none. */
    record HostAndPort(String host, int port) {}

    private final Set<String> names;
    private final Set<InetAddress> addresses;

    private HostCheck(Set<String> names, Set<InetAddress> addresses) {
        this.names = names;
        this.addresses = addresses;
    }

    /** The check for a server bound to {@code boundHost}, also answering to {@code allowedHosts}. */
    static HostCheck of(String boundHost, List<String> allowedHosts) {
        Set<String> names = new HashSet<>();
        Set<InetAddress> addresses = new HashSet<>();
        names.add("localhost");
        List<String> hosts = new ArrayList<>(allowedHosts);
        hosts.add(boundHost);
        for (String host : hosts) {
            String name = host.toLowerCase(Locale.ROOT);
            InetAddress address = literal(unbracketed(name));
            if (address == null) {
                names.add(name);
            } else if (address.isAnyLocalAddress()) {
                addresses.addAll(machineAddresses());
            } else {
                addresses.add(address);
            }
        }
        return new HostCheck(Set.copyOf(names), Set.copyOf(addresses));
    }

    /** Whether a {@code Host} header names this server. None at all is allowed: browsers always send one. */
    boolean allows(String hostHeader) {
        if (hostHeader == null) {
            return true;
        }
        Optional<HostAndPort> parsed = parse(hostHeader);
        if (parsed.isEmpty()) {
            return false;
        }
        String host = parsed.get().host();
        if (names.contains(host)) {
            return true;
        }
        InetAddress address = literal(host);
        return address != null && (address.isLoopbackAddress() || addresses.contains(address));
    }

    /** Host and port of a {@code Host} header ({@code name}, {@code name:8080}, {@code [::1]:8080}), lower-cased. */
    static Optional<HostAndPort> parse(String hostHeader) {
        String text = hostHeader.strip().toLowerCase(Locale.ROOT);
        String host;
        String port = null;
        if (text.startsWith("[")) {
            int end = text.indexOf(']');
            if (end < 0) {
                return Optional.empty();
            }
            host = text.substring(1, end);
            String rest = text.substring(end + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    return Optional.empty();
                }
                port = rest.substring(1);
            }
        } else {
            int colon = text.indexOf(':');
            host = colon < 0 ? text : text.substring(0, colon);
            port = colon < 0 ? null : text.substring(colon + 1);
        }
        if (host.isEmpty() || port != null && !PORT.matcher(port).matches()) {
            return Optional.empty();
        }
        return Optional.of(new HostAndPort(host, port == null ? -1 : Integer.parseInt(port)));
    }

    /** A host name or IP address as {@code --allow-host} takes it. */
    static boolean isHostName(String text) {
        return NAME.matcher(text).matches() || literal(unbracketed(text)) != null;
    }

    /**
     * Whether a host to bind to is loopback only, so that an open API stays on this machine. A
     * name that does not resolve passes: binding to it fails, with its own message.
     */
    static boolean isLoopback(String host) {
        String name = unbracketed(host.strip().toLowerCase(Locale.ROOT));
        if (name.equals("localhost")) {
            return true;
        }
        try {
            InetAddress address = literal(name);
            InetAddress[] all = address != null ? new InetAddress[] {address} : InetAddress.getAllByName(name);
            return Arrays.stream(all).allMatch(InetAddress::isLoopbackAddress);
        } catch (UnknownHostException e) {
            return true;
        }
    }

    static String unbracketed(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** The address an IP literal names, or null for anything else; never a DNS lookup. */
    private static InetAddress literal(String text) {
        try {
            if (IPV4.matcher(text).matches()) {
                byte[] octets = new byte[4];
                String[] parts = text.split("\\.");
                for (int i = 0; i < 4; i++) {
                    int octet = Integer.parseInt(parts[i]);
                    if (octet > 255) {
                        return null;
                    }
                    octets[i] = (byte) octet;
                }
                return InetAddress.getByAddress(octets);
            }
            // Brackets make the JDK parse it as an IPv6 literal or refuse it, never look it up.
            return text.contains(":") ? InetAddress.getByName("[" + text + "]") : null;
        } catch (UnknownHostException | IllegalArgumentException e) {
            return null;
        }
    }

    private static Set<InetAddress> machineAddresses() {
        try {
            return NetworkInterface.networkInterfaces().flatMap(NetworkInterface::inetAddresses)
                    .collect(Collectors.toSet());
        } catch (SocketException e) {
            return Set.of();
        }
    }
}

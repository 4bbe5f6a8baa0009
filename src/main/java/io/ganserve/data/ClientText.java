package io.ganserve.data;

/** Text a client sent, as it may be repeated back in a message or a manifest. */
final class ClientText {

    private static final int ECHO = 80;

    private ClientText() {
    }

    /** Cut short, so a megabyte of name does not come back. */
    static String echo(String text) {
        if (text == null) {
            return null;
        }
        return text.length() <= ECHO ? text : text.substring(0, ECHO) + "…";
    }
}

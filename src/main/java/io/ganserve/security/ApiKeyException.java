package io.ganserve.security;

import org.springframework.security.core.AuthenticationException;

/** A presented API key that is refused; the message is the problem's detail and never holds the key. */
final class ApiKeyException extends AuthenticationException {

    private final String title;

    ApiKeyException(String title, String detail) {
        super(detail);
        this.title = title;
    }

    String title() {
        return title;
    }
}

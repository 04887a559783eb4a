package io.tcphealth.apitest;

import java.util.List;
import java.util.regex.Pattern;

/** Lines of a log where the API server refused a request: Forbidden (403) or Unprocessable/Invalid (422). */
final class ApiRefusals {

    private static final Pattern REFUSED = Pattern.compile(
            "code=403|code=422|\\b403 Forbidden|\\b422 Unprocessable|\\bForbidden\\b|\\bforbidden:|Unprocessable|is invalid:");

    private ApiRefusals() {}

    static List<String> in(String log) {
        return log.lines().filter(l -> REFUSED.matcher(l).find()).toList();
    }
}

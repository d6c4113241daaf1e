package io.siyu.wecom.callback;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

import io.siyu.wecom.callback.CallbackRefused.Reason;

/**
 * A decrypted WeCom event: its top-level fields (and the member list of a chat change), and the dedupe key that
 * makes WeCom's retries of it one callback. WeCom's MsgId advice does not apply to events, so the key is built from
 * the fields that tell two facts apart (see the protocol notes): two different group updates in the same second
 * differ in their member version and are two callbacks; the same update retried is one.
 */
public record CallbackMessage(Map<String, String> fields, List<String> memberChanges, String xml) {

    /** Parses XML with DTDs and external entities off (XXE). */
    public static CallbackMessage parse(String xml) throws CallbackRefused {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            Element root = builder.parse(new InputSource(new StringReader(xml))).getDocumentElement();
            Map<String, String> fields = new LinkedHashMap<>();
            List<String> members = new ArrayList<>();
            NodeList children = root.getChildNodes();
            for (int i = 0; i < children.getLength(); i++) {
                Node child = children.item(i);
                if (child.getNodeType() != Node.ELEMENT_NODE) {
                    continue;
                }
                if (child.getNodeName().equals("MemChangeList")) {
                    NodeList items = ((Element) child).getElementsByTagName("Item");
                    for (int j = 0; j < items.getLength(); j++) {
                        members.add(items.item(j).getTextContent().trim());
                    }
                } else {
                    fields.put(child.getNodeName(), child.getTextContent().trim());
                }
            }
            return new CallbackMessage(fields, members, xml);
        } catch (Exception unreadable) {
            throw new CallbackRefused(Reason.MALFORMED, "the body is not well-formed XML");
        }
    }

    /** Latest {@code CreateTime} accepted (seconds; the year 9999): any later one cannot be WeCom's. */
    static final long LAST_CREATE_TIME = 253_402_300_799L;

    /**
     * Checks the fields the bridge reads — every one untrusted: those that say whom an event is about (for contact events
 * {@code ChangeType}, {@code UserID}, {@code ExternalUserID}; for chat events {@code ChangeType}, {@code ChatId}; for
 * tag events {@code ChangeType}, {@code Id}: present, at most 128 characters), and the numbers: {@code CreateTime} (required, seconds from 0 to
     * {@value #LAST_CREATE_TIME}), and where present {@code MemChangeCnt}, {@code JoinScene}, {@code QuitScene}
     * (0 to 100,000) and the member versions {@code LastMemVer} / {@code CurMemVer} (at most 64 characters).
     *
     * @throws CallbackRefused {@code malformed}, naming the field
     */
    public void checkFields() throws CallbackRefused {
        String event = field("Event");
        List<String> required = switch (event == null ? "" : event) {
            case "change_external_contact" -> List.of("ChangeType", "UserID", "ExternalUserID");
            case "change_external_chat" -> List.of("ChangeType", "ChatId");
            case "change_external_tag" -> List.of("ChangeType", "Id");
            default -> List.of();
        };
        for (String name : required) {
            String value = field(name);
            if (value == null || value.isBlank() || value.length() > 128) {
                throw new CallbackRefused(Reason.MALFORMED, name + " is required for " + event
                        + " (at most 128 characters)");
            }
        }
        Long created = number(field("CreateTime"));
        if (created == null || created < 0 || created > LAST_CREATE_TIME) {
            throw new CallbackRefused(Reason.MALFORMED, "CreateTime is not a time in seconds");
        }
        for (String name : List.of("MemChangeCnt", "JoinScene", "QuitScene")) {
            String value = field(name);
            if (value != null && !value.isEmpty()) {
                Long number = number(value);
                if (number == null || number < 0 || number > 100_000) {
                    throw new CallbackRefused(Reason.MALFORMED, name + " is not a count from 0 to 100000");
                }
            }
        }
        for (String name : List.of("LastMemVer", "CurMemVer")) {
            String value = field(name);
            if (value != null && value.length() > 64) {
                throw new CallbackRefused(Reason.MALFORMED, name + " is longer than 64 characters");
            }
        }
        if (memberChanges.size() > 100_000) {
            throw new CallbackRefused(Reason.MALFORMED, "MemChangeList has more than 100000 items");
        }
    }

    /** @return the decimal value, or {@code null} when it is not a decimal number that fits in a long */
    private static Long number(String value) {
        if (value == null || value.isEmpty() || value.length() > 19) {
            return null;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException notANumber) {
            return null;
        }
    }

    public String field(String name) {
        return fields.get(name);
    }

    /** @return the key under which WeCom's retries of this callback are one */
    public String dedupeKey() {
        String event = field("Event");
        if ("change_external_contact".equals(event)) {
            return join(event, field("ChangeType"), field("UserID"), field("ExternalUserID"), field("CreateTime"));
        }
        if ("change_external_chat".equals(event)) {
            return join(event, field("ChatId"), field("ChangeType"), field("UpdateDetail"), field("CurMemVer"),
                    field("CreateTime"));
        }
        if ("change_external_tag".equals(event)) {
            return join(event, field("Id"), field("TagType"), field("ChangeType"), field("CreateTime"));
        }
        // anything else: the same plaintext is the same callback
        return join(event, field("ChangeType"), field("CreateTime"), sha256(xml));
    }

    private static String join(String... parts) {
        StringBuilder key = new StringBuilder();
        for (String part : parts) {
            if (key.length() > 0) {
                key.append('|');
            }
            key.append(part == null ? "" : part);
        }
        return key.toString();
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}

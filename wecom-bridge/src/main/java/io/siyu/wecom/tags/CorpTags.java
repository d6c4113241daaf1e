package io.siyu.wecom.tags;

import java.util.Map;
import java.util.Optional;

import org.springframework.stereotype.Component;

import io.siyu.wecom.api.WeComApi;
import me.chanjar.weixin.common.error.WxErrorException;

/**
 * The corp's tags for customers as WeCom holds them ({@code get_corp_tag_list}), read again when WeCom says they
 * changed ({@code change_external_tag}) and when a tag is asked for that the last reading did not have.
 */
@Component
public class CorpTags {

    private final WeComApi api;
    private volatile Map<String, WeComApi.CorpTag> tags = Map.of();

    CorpTags(WeComApi api) {
        this.api = api;
    }

    /** @return the tag with this id, reading the list again when it is not known yet */
    public Optional<WeComApi.CorpTag> find(String tagId) throws WxErrorException {
        WeComApi.CorpTag known = tags.get(tagId);
        if (known != null) {
            return Optional.of(known);
        }
        refresh();
        return Optional.ofNullable(tags.get(tagId));
    }

    /** Reads the tag list again. */
    public void refresh() throws WxErrorException {
        tags = Map.copyOf(api.corpTags());
    }
}

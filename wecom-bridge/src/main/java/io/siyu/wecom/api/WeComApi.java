package io.siyu.wecom.api;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.springframework.stereotype.Component;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.core.functions.CheckedSupplier;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RequestNotPermitted;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.siyu.wecom.config.WeComProperties;
import me.chanjar.weixin.common.error.WxErrorException;
import me.chanjar.weixin.common.error.WxRuntimeException;
import me.chanjar.weixin.cp.api.WxCpService;
import me.chanjar.weixin.cp.api.impl.WxCpServiceImpl;
import me.chanjar.weixin.cp.bean.WxCpAgentJsapiSignature;
import me.chanjar.weixin.cp.bean.external.WxCpContactWayInfo;
import me.chanjar.weixin.cp.bean.external.WxCpContactWayResult;
import me.chanjar.weixin.cp.bean.external.WxCpGroupJoinWayInfo;
import me.chanjar.weixin.cp.bean.external.WxCpMsgTemplate;
import me.chanjar.weixin.cp.bean.external.WxCpMsgTemplateAddResult;
import me.chanjar.weixin.cp.bean.external.contact.WxCpGroupMsgListResult;
import me.chanjar.weixin.cp.bean.external.contact.WxCpGroupMsgSendResult;
import me.chanjar.weixin.cp.bean.external.contact.WxCpGroupMsgTaskResult;
import me.chanjar.weixin.cp.bean.external.WxCpUserExternalGroupChatInfo;
import me.chanjar.weixin.cp.bean.external.WxCpUserExternalTagGroupList;
import me.chanjar.weixin.cp.bean.external.WxCpWelcomeMsg;
import me.chanjar.weixin.cp.bean.external.contact.FollowedUser;
import me.chanjar.weixin.cp.bean.external.contact.WxCpExternalContactInfo;
import me.chanjar.weixin.cp.bean.external.msg.Text;
import me.chanjar.weixin.cp.config.impl.WxCpDefaultConfigImpl;

/**
 * The one client for WeCom's REST API, through WxJava. WxJava caches the access token, fetches a new one when WeCom
 * says it is invalid or expired (40014/42001) and repeats the call once; it also retries WeCom's -1 (busy). Every call
 * here first waits its turn in a rate limiter below WeCom's per-API quota ({@code siyu.wecom.calls-per-second}), and
 * is retried with exponential backoff when WeCom says slow down (45009 frequency, 45033 concurrency, 41096 another app
 * sending) or cannot be reached. What still fails is the caller's to record and retry later: the outbox does.
 */
@Component
public class WeComApi {

    /** WeCom's answer when the external user is no contact of the corp's staff. */
    public static final int NO_RELATIONSHIP = 84061;
    /** WeCom's answer for a chat that does not exist (any more). */
    static final int NO_SUCH_CHAT = 701008;
    private static final Set<Integer> SLOW_DOWN = Set.of(45009, 45033, 41096);

    private final WxCpService service;
    private final RateLimiter limiter;
    private final RetryConfig retries;

    public WeComApi(WeComProperties properties) {
        WxCpDefaultConfigImpl config = new WxCpDefaultConfigImpl();
        config.setCorpId(properties.corpId());
        config.setCorpSecret(properties.secret());
        config.setAgentId(properties.agentId());
        config.setBaseApiUrl(properties.apiBaseUrl());
        WxCpServiceImpl wxCp = new WxCpServiceImpl();
        wxCp.setWxCpConfigStorage(config);
        // WxJava retries -1 (busy) itself, doubling from this pause; with no retries it would turn every error into
        // one without its errcode.
        wxCp.setRetrySleepMillis(200);
        wxCp.setMaxRetryTimes(3);
        this.service = wxCp;
        this.limiter = RateLimiter.of("wecom-api", RateLimiterConfig.custom()
                .limitForPeriod(properties.callsPerSecond()).limitRefreshPeriod(Duration.ofSeconds(1))
                .timeoutDuration(Duration.ofSeconds(10)).build());
        this.retries = RetryConfig.custom()
                .maxAttempts(4)
                .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(Duration.ofMillis(200), 2.0, 0.3))
                .retryOnException(WeComApi::worthRetrying)
                .build();
    }

    /**
     * @return whether the same call may well succeed a little later: WeCom said slow down or busy, could not be
     *         reached, or the rate limiter had no turn free in time
     */
    public static boolean worthRetrying(Throwable failure) {
        return failure instanceof WxRuntimeException || failure instanceof RequestNotPermitted
                || failure instanceof WxErrorException wx && wx.getError() != null
                && (SLOW_DOWN.contains(wx.getError().getErrorCode()) || wx.getError().getErrorCode() == -1);
    }

    /** @return WeCom's errcode of a failure, or {@code null} when WeCom gave none (not reached) */
    public static Integer errcode(Throwable failure) {
        return failure instanceof WxErrorException wx && wx.getError() != null ? wx.getError().getErrorCode() : null;
    }

    private <T> T call(String name, CheckedSupplier<T> call) throws WxErrorException {
        try {
            return Retry.of(name, retries).executeCheckedSupplier(RateLimiter.decorateCheckedSupplier(limiter, call));
        } catch (WxErrorException | RuntimeException failure) {
            throw failure;
        } catch (Throwable unexpected) {
            throw new IllegalStateException(unexpected);
        }
    }

    /**
     * A call that must not be repeated blindly (WeCom gives it no idempotency key): retried only when WeCom surely did
     * not act — the rate limiter gave no turn, or WeCom answered "slow down" — and never when the answer was lost.
     */
    private <T> T callWithoutRepeat(String name, CheckedSupplier<T> call) throws WxErrorException {
        RetryConfig refusedOnly = RetryConfig.from(retries)
                .retryOnException(failure -> failure instanceof RequestNotPermitted
                        || failure instanceof WxErrorException wx && wx.getError() != null
                        && SLOW_DOWN.contains(wx.getError().getErrorCode()))
                .build();
        try {
            return Retry.of(name, refusedOnly).executeCheckedSupplier(RateLimiter.decorateCheckedSupplier(limiter,
                    call));
        } catch (WxErrorException | RuntimeException failure) {
            throw failure;
        } catch (Throwable unexpected) {
            throw new IllegalStateException(unexpected);
        }
    }

    /** Asks WeCom for a fresh access token: succeeds only when the corp id and secret are right and WeCom answers. */
    public void probe() throws WxErrorException {
        call("gettoken", () -> service.getAccessToken(true));
    }

    /** @return the staff members who have customer contact ({@code get_follow_user_list}) */
    public List<String> followUsers() throws WxErrorException {
        List<String> staff = call("get_follow_user_list", () -> service.getExternalContactService().listFollowers());
        return staff == null ? List.of() : staff;
    }

    /**
     * One relationship as {@code batch/get_by_user} lists it: the external user, their unionid (or {@code null}), the
     * staff member, WeCom's add time, the corp tag ids on the staff member's entry and the {@code state} they came by.
     */
    public record Relationship(String externalUserId, String unionid, String staffUserId, Instant addedAt,
                               List<String> tagIds, String state) {
    }

    /** A page of relationships and the cursor of the next ({@code null} at the end). */
    public record RelationshipPage(List<Relationship> relationships, String nextCursor) {
    }

    /** @return one page (up to 100) of a staff member's relationships ({@code batch/get_by_user}) */
    public RelationshipPage relationships(String staffUserId, String cursor) throws WxErrorException {
        var batch = call("batch/get_by_user", () -> service.getExternalContactService()
                .getContactDetailBatch(new String[] {staffUserId}, cursor == null ? "" : cursor, 100));
        List<Relationship> page = new ArrayList<>();
        if (batch.getExternalContactList() != null) {
            for (var row : batch.getExternalContactList()) {
                if (row.getExternalContact() == null || row.getFollowInfo() == null) {
                    continue;
                }
                FollowedUser follow = row.getFollowInfo();
                Long created = follow.getCreateTime();
                page.add(new Relationship(row.getExternalContact().getExternalUserId(),
                        blankToNull(row.getExternalContact().getUnionId()),
                        follow.getUserId() == null ? staffUserId : follow.getUserId(),
                        created == null || created <= 0 ? null : Instant.ofEpochSecond(created),
                        follow.getTagIds() == null ? List.of() : List.of(follow.getTagIds()), follow.getState()));
            }
        }
        return new RelationshipPage(page, blankToNull(batch.getNextCursor()));
    }

    /** A page of group chat ids and the cursor of the next ({@code null} at the end). */
    public record GroupChatPage(List<String> chatIds, String nextCursor) {
    }

    /** @return one page (up to 1,000) of the corp's customer groups ({@code groupchat/list}, every status) */
    public GroupChatPage groupChats(String cursor) throws WxErrorException {
        var list = call("groupchat/list", () -> service.getExternalContactService()
                .listGroupChat(1000, cursor == null ? "" : cursor, 0, null));
        List<String> ids = new ArrayList<>();
        if (list.getGroupChatList() != null) {
            list.getGroupChatList().forEach(chat -> ids.add(chat.getChatId()));
        }
        return new GroupChatPage(ids, blankToNull(list.getNextCursor()));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    /** A customer group as WeCom holds it now. */
    public record GroupChat(String chatId, String name, String owner, String memberVersion,
                            Map<String, Member> externalMembers) {
    }

    /**
     * An external member of a group: their unionid (or {@code null}), how they joined, the join {@code state} and
     * when they joined ({@code join_time}, or {@code null} if WeCom gives none).
     */
    public record Member(String unionid, Integer joinScene, String state, Instant joinTime) {
    }

    /** @return the group's name, owner, member version and external members, empty if it is gone */
    public Optional<GroupChat> groupChat(String chatId) throws WxErrorException {
        WxCpUserExternalGroupChatInfo.GroupChat chat;
        try {
            chat = call("groupchat/get", () -> service.getExternalContactService().getGroupChat(chatId, 1))
                    .getGroupChat();
        } catch (WxErrorException failure) {
            if (Integer.valueOf(NO_SUCH_CHAT).equals(errcode(failure))) {
                return Optional.empty();
            }
            throw failure;
        }
        Map<String, Member> members = new LinkedHashMap<>();
        if (chat.getMemberList() != null) {
            chat.getMemberList().stream().filter(member -> member.getType() == 2).forEach(member ->
                    members.put(member.getUserId(), new Member(member.getUnionId(), member.getJoinScene(),
                            member.getState(), member.getJoinTime() == null || member.getJoinTime() <= 0 ? null
                            : Instant.ofEpochSecond(member.getJoinTime()))));
        }
        return Optional.of(new GroupChat(chat.getChatId(), chat.getName(), chat.getOwner(), chat.getMemberVersion(),
                members));
    }

    /** A Mini Program card for a message: title, cover (a media id from {@code media/upload}), appid and page. */
    public record MiniProgramCard(String title, String picMediaId, String appId, String page) {
    }

    /** @return the media id of an image uploaded as temporary media ({@code media/upload?type=image}, three days) */
    public String uploadImage(java.io.InputStream image, String fileType) throws WxErrorException {
        return call("media/upload", () -> service.getMediaService().upload("image", fileType, image)).getMediaId();
    }

    /** Sends the welcome message for a new contact ({@code send_welcome_msg}, within 20 s of the add event). */
    public void sendWelcome(String welcomeCode, String text) throws WxErrorException {
        sendWelcome(welcomeCode, text, Optional.empty());
    }

    /** Sends the welcome message with a Mini Program card when one is given. */
    public void sendWelcome(String welcomeCode, String text, Optional<MiniProgramCard> card)
            throws WxErrorException {
        WxCpWelcomeMsg message = WxCpWelcomeMsg.builder().welcomeCode(welcomeCode).build();
        message.setText(new Text().setContent(text));
        card.ifPresent(mini -> {
            me.chanjar.weixin.cp.bean.external.msg.Attachment attachment =
                    new me.chanjar.weixin.cp.bean.external.msg.Attachment();
            attachment.setMiniProgram(new me.chanjar.weixin.cp.bean.external.msg.MiniProgram().setTitle(mini.title())
                    .setPicMediaId(mini.picMediaId()).setAppid(mini.appId()).setPage(mini.page()));
            message.setAttachments(List.of(attachment));
        });
        call("send_welcome_msg", () -> {
            service.getExternalContactService().sendWelcomeMsg(message);
            return null;
        });
    }

    /** Adds and removes corp tags on one staff member's contact entry of an external user ({@code mark_tag}). */
    public void markTag(String staffUserId, String externalUserId, List<String> add, List<String> remove)
            throws WxErrorException {
        call("mark_tag", () -> service.getExternalContactService().markTag(staffUserId, externalUserId,
                add.isEmpty() ? null : add.toArray(String[]::new),
                remove.isEmpty() ? null : remove.toArray(String[]::new)));
    }

    /** A "contact me" QR code WeCom made: its config id (to edit or delete it) and the QR image URL. */
    public record ContactWay(String configId, String qrCode) {
    }

    /**
     * Creates a "contact me" QR code ({@code add_contact_way}, scene 2): adds through it carry {@code state}. One
     * staff member makes a single-person code, several a multi-person one.
     */
    public ContactWay addContactWay(String state, List<String> staffUserIds, String remark, boolean skipVerify)
            throws WxErrorException {
        WxCpContactWayInfo.ContactWay way = new WxCpContactWayInfo.ContactWay();
        way.setType(staffUserIds.size() == 1 ? WxCpContactWayInfo.TYPE.SINGLE : WxCpContactWayInfo.TYPE.MULTI);
        way.setScene(WxCpContactWayInfo.SCENE.QRCODE);
        way.setState(state);
        way.setUsers(staffUserIds);
        way.setRemark(remark);
        way.setSkipVerify(skipVerify);
        WxCpContactWayInfo info = new WxCpContactWayInfo();
        info.setContactWay(way);
        // no idempotency key at WeCom: a lost answer is not repeated (it would make another code)
        WxCpContactWayResult result = callWithoutRepeat("add_contact_way",
                () -> service.getExternalContactService().addContactWay(info));
        return new ContactWay(result.getConfigId(), result.getQrCode());
    }

    /** A group join way WeCom made: its config id and (for scene 2) the QR code's URL. */
    public record JoinWay(String configId, String qrCode) {
    }

    /**
     * Creates a customer-group join way ({@code groupchat/add_join_way}) and reads its QR code back
     * ({@code groupchat/get_join_way}): scene 1 a Mini Program plugin button, 2 a group QR code; joins through it carry
     * {@code state}. With {@code autoCreateRoom} WeCom opens a new group named {@code roomBaseName}+n when the last
     * one is full.
     */
    public JoinWay addJoinWay(int scene, String state, List<String> chatIds, String remark, boolean autoCreateRoom,
                              String roomBaseName, Integer roomBaseId) throws WxErrorException {
        WxCpGroupJoinWayInfo.JoinWay way = new WxCpGroupJoinWayInfo.JoinWay();
        way.setScene(scene);
        way.setState(state);
        way.setChatIdList(chatIds);
        way.setRemark(remark);
        way.setAutoCreateRoom(autoCreateRoom ? 1 : 0);
        way.setRoomBaseName(roomBaseName);
        way.setRoomBaseId(roomBaseId);
        WxCpGroupJoinWayInfo info = new WxCpGroupJoinWayInfo();
        info.setJoinWay(way);
        // no idempotency key at WeCom: a lost answer is not repeated (it would make another join way)
        String configId = callWithoutRepeat("groupchat/add_join_way",
                () -> service.getExternalContactService().addJoinWay(info)).getConfigId();
        WxCpGroupJoinWayInfo made = call("groupchat/get_join_way",
                () -> service.getExternalContactService().getJoinWay(configId));
        return new JoinWay(configId, made.getJoinWay() == null ? null : made.getJoinWay().getQrCode());
    }

    /** A mass-message task WeCom made: its msgid and the external user ids it could not use. */
    public record MassMessageTask(String msgid, List<String> failList) {
    }

    /**
     * Hands staff member {@code sender} a mass-message task for {@code externalUserIds} (at most 10,000;
     * {@code add_msg_template}, chat type single); the staff member confirms it in their WeCom client. Attachments are
     * WeCom's kinds: image (media id or picture URL), link, miniprogram.
     */
    public MassMessageTask addMsgTemplate(String sender, List<String> externalUserIds, String text,
                                          List<io.siyu.api.campaign.CampaignAttachment> attachments)
            throws WxErrorException {
        List<me.chanjar.weixin.cp.bean.external.msg.Attachment> wxAttachments = new ArrayList<>();
        for (io.siyu.api.campaign.CampaignAttachment attachment : attachments) {
            me.chanjar.weixin.cp.bean.external.msg.Attachment wx = new me.chanjar.weixin.cp.bean.external.msg.Attachment();
            switch (attachment.type()) {
                case "image" -> wx.setImage(new me.chanjar.weixin.cp.bean.external.msg.Image()
                        .setMediaId(attachment.mediaId()).setPicUrl(attachment.picUrl()));
                case "link" -> wx.setLink(new me.chanjar.weixin.cp.bean.external.msg.Link().setTitle(attachment.title())
                        .setPicUrl(attachment.picUrl()).setDesc(attachment.description()).setUrl(attachment.url()));
                case "miniprogram" -> wx.setMiniProgram(new me.chanjar.weixin.cp.bean.external.msg.MiniProgram()
                        .setTitle(attachment.title()).setPicMediaId(attachment.mediaId()).setAppid(attachment.appId())
                        .setPage(attachment.page()));
                default -> throw new IllegalArgumentException("not a WeCom attachment: " + attachment.type());
            }
            wxAttachments.add(wx);
        }
        WxCpMsgTemplate template = WxCpMsgTemplate.builder().chatType("single").sender(sender)
                .externalUserid(externalUserIds).allowSelect(false)
                .text(text == null || text.isEmpty() ? null : new Text().setContent(text))
                .attachments(wxAttachments.isEmpty() ? null : wxAttachments).build();
        WxCpMsgTemplateAddResult result = callWithoutRepeat("add_msg_template",
                () -> service.getExternalContactService().addMsgTemplate(template));
        return new MassMessageTask(result.getMsgId(), result.getFailList() == null ? List.of() : result.getFailList());
    }

    /**
     * Stops a mass-message task that staff members have not sent yet ({@code cancel_groupmsg_send}): after a campaign's
     * confirmation deadline a late confirmation would otherwise still send it.
     */
    public void cancelMassMessage(String msgid) throws WxErrorException {
        call("cancel_groupmsg_send", () -> service.getExternalContactService().cancelGroupMsgSend(msgid));
    }

    /** One mass message the corp made: its msgid, creator (null when an app made it), when, and its text. */
    public record MassMessage(String msgid, String creator, Instant createdAt, int createType, String text) {
    }

    /** A page of mass messages and the cursor of the next ({@code null} at the end). */
    public record MassMessagePage(List<MassMessage> messages, String nextCursor) {
    }

    /**
     * One page (up to 100) of the corp's single-chat mass messages created in {@code [from, to]} (at most a month
     * apart; {@code get_groupmsg_list_v2}, filter 2: the corp's and staff members' own).
     */
    public MassMessagePage massMessages(Instant from, Instant to, String cursor) throws WxErrorException {
        WxCpGroupMsgListResult list = call("get_groupmsg_list_v2", () -> service.getExternalContactService()
                .getGroupMsgListV2("single", java.util.Date.from(from), java.util.Date.from(to), null, 2, 100,
                        cursor));
        List<MassMessage> messages = new ArrayList<>();
        if (list.getGroupMsgList() != null) {
            for (WxCpGroupMsgListResult.ExternalContactGroupMsgInfo info : list.getGroupMsgList()) {
                messages.add(new MassMessage(info.getMsgId(), blankToNull(info.getCreator()),
                        info.getCreateTime() == null ? null : Instant.ofEpochSecond(info.getCreateTime()),
                        info.getCreateType() == null ? 0 : info.getCreateType(),
                        info.getText() == null ? null : info.getText().getContent()));
            }
        }
        return new MassMessagePage(messages, blankToNull(list.getNextCursor()));
    }

    /** A staff member's part of a mass message: whether they confirmed it (status 2) and when. */
    public record TaskStatus(String staffUserId, int status, Instant sentAt) {
    }

    /** A page of staff members' task statuses and the cursor of the next ({@code null} at the end). */
    public record TaskPage(List<TaskStatus> tasks, String nextCursor) {
    }

    /** One page (up to 1,000) of who was asked to send mass message {@code msgid} ({@code get_groupmsg_task}). */
    public TaskPage massMessageTasks(String msgid, String cursor) throws WxErrorException {
        WxCpGroupMsgTaskResult result = call("get_groupmsg_task",
                () -> service.getExternalContactService().getGroupMsgTask(msgid, 1000, cursor));
        List<TaskStatus> tasks = new ArrayList<>();
        if (result.getTaskList() != null) {
            result.getTaskList().forEach(task -> tasks.add(new TaskStatus(task.getUserId(),
                    task.getStatus() == null ? 0 : task.getStatus(), epoch(task.getSendTime()))));
        }
        return new TaskPage(tasks, blankToNull(result.getNextCursor()));
    }

    /** What happened to one customer of a staff member's mass message: status 0 not sent, 1 sent, 2 not a contact any
     * more, 3 over the customer's receive limit. */
    public record Delivery(String externalUserId, int status, Instant sentAt) {
    }

    /** A page of deliveries and the cursor of the next ({@code null} at the end). */
    public record DeliveryPage(List<Delivery> deliveries, String nextCursor) {
    }

    /** One page (up to 1,000) of a staff member's deliveries of mass message {@code msgid}. */
    public DeliveryPage massMessageDeliveries(String msgid, String staffUserId, String cursor)
            throws WxErrorException {
        WxCpGroupMsgSendResult result = call("get_groupmsg_send_result",
                () -> service.getExternalContactService().getGroupMsgSendResult(msgid, staffUserId, 1000, cursor));
        List<Delivery> deliveries = new ArrayList<>();
        if (result.getSendList() != null) {
            result.getSendList().stream().filter(row -> row.getExternalUserId() != null).forEach(row ->
                    deliveries.add(new Delivery(row.getExternalUserId(), row.getStatus() == null ? 0 : row.getStatus(),
                            epoch(row.getSendTime()))));
        }
        return new DeliveryPage(deliveries, blankToNull(result.getNextCursor()));
    }

    private static Instant epoch(Long seconds) {
        return seconds == null || seconds <= 0 ? null : Instant.ofEpochSecond(seconds);
    }

    /** One corp tag for customers: its id, name and group. */
    public record CorpTag(String id, String name, String groupName) {
    }

    /** @return every corp tag for customers ({@code get_corp_tag_list}), by id */
    public Map<String, CorpTag> corpTags() throws WxErrorException {
        WxCpUserExternalTagGroupList list = call("get_corp_tag_list",
                () -> service.getExternalContactService().getCorpTagList(null));
        Map<String, CorpTag> tags = new LinkedHashMap<>();
        if (list.getTagGroupList() != null) {
            for (WxCpUserExternalTagGroupList.TagGroup group : list.getTagGroupList()) {
                if (group.getTag() != null) {
                    group.getTag().forEach(tag -> tags.put(tag.getId(),
                            new CorpTag(tag.getId(), tag.getName(), group.getGroupName())));
                }
            }
        }
        return tags;
    }

    /**
     * The sidebar page's signature for {@code wx.agentConfig} on {@code url} (agent ticket from
     * {@code ticket/get?type=agent_config}, cached by WxJava).
     */
    public WxCpAgentJsapiSignature agentConfig(String url) throws WxErrorException {
        return call("ticket/get", () -> service.createAgentJsapiSignature(url));
    }

    /** An external contact as WeCom reports them: their unionid and the tags each staff member's entry carries. */
    public record Contact(Optional<String> unionid, Map<String, List<String>> tagsByStaff) {
    }

    /**
     * @return the external contact ({@code externalcontact/get}), or empty when they are no contact of the corp
     *         (84061)
     * @throws WxErrorException when WeCom fails in another way (the caller retries)
     */
    public Optional<Contact> contact(String externalUserId) throws WxErrorException {
        WxCpExternalContactInfo info;
        try {
            info = call("externalcontact/get",
                    () -> service.getExternalContactService().getContactDetail(externalUserId, null));
        } catch (WxErrorException failure) {
            if (Integer.valueOf(NO_RELATIONSHIP).equals(errcode(failure))) {
                return Optional.empty();
            }
            throw failure;
        }
        Optional<String> unionid = Optional.ofNullable(info.getExternalContact())
                .map(contact -> contact.getUnionId()).filter(id -> !id.isBlank());
        Map<String, List<String>> tags = new LinkedHashMap<>();
        if (info.getFollowedUsers() != null) {
            for (FollowedUser follower : info.getFollowedUsers()) {
                List<String> names = new ArrayList<>();
                if (follower.getTags() != null) {
                    for (FollowedUser.Tag tag : follower.getTags()) {
                        // corp and rule tags only, as batch/get_by_user reports them: a staff member's personal
                        // tags (type 2) are theirs, not the brand's
                        if (tag.getType() != 2) {
                            names.add(tag.getTagName());
                        }
                    }
                }
                tags.put(follower.getUserId(), names);
            }
        }
        return Optional.of(new Contact(unionid, tags));
    }

    /**
     * @return the WeChat unionid of an external contact, or empty when WeCom has none for them (a WeCom user, a corp
     *         not bound to an Open Platform account, or no relationship any more)
     */
    public Optional<String> unionidOf(String externalUserId) throws WxErrorException {
        return contact(externalUserId).flatMap(Contact::unionid);
    }

    /**
     * @return the WeCom userid of the staff member a sidebar OAuth code belongs to ({@code auth/getuserinfo}); empty
     *         when the code is invalid or used (40029) or belongs to someone who is not a staff member
     * @throws WxErrorException when WeCom fails in another way
     */
    public Optional<String> staffOfOAuthCode(String code) throws WxErrorException {
        try {
            var user = call("auth/getuserinfo", () -> service.getOauth2Service().getAuthUserInfo(code));
            return Optional.ofNullable(user.getUserId()).filter(id -> !id.isBlank());
        } catch (WxErrorException failure) {
            if (Integer.valueOf(40029).equals(errcode(failure))) {
                return Optional.empty();
            }
            throw failure;
        }
    }
}

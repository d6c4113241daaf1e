package io.siyu.projections.timeline;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Locale;
import java.util.stream.Collectors;

import io.siyu.api.checkin.CheckedIn;
import io.siyu.api.member.ConsentChanged;
import io.siyu.api.member.MemberRegistered;
import io.siyu.api.member.PhoneBound;
import io.siyu.api.points.PointSource;
import io.siyu.api.points.PointsAdjusted;
import io.siyu.api.points.PointsEarned;
import io.siyu.api.points.PointsExpired;
import io.siyu.api.points.PointsRedeemed;
import io.siyu.api.points.PointsReversed;
import io.siyu.api.purchase.PurchaseRecorded;
import io.siyu.api.purchase.PurchaseRefunded;
import io.siyu.api.reward.RewardRedeemed;
import io.siyu.api.segment.MemberEnteredSegment;
import io.siyu.api.segment.MemberLeftSegment;
import io.siyu.api.tier.TierChanged;
import io.siyu.api.tier.TierFloorEnded;
import io.siyu.api.tier.TierFloorSet;
import io.siyu.api.tier.TierRetained;
import io.siyu.api.wecom.WeComContactAdded;
import io.siyu.api.wecom.WeComContactRemoved;
import io.siyu.api.wecom.WeComGroupJoined;
import io.siyu.api.wecom.WeComGroupLeft;
import io.siyu.api.wecom.WeComRemoval;
import io.siyu.api.wecom.WeComTagsChanged;

/**
 * The short line a service agent reads for each member event, in Chinese and English, and its kind. What the line
 * leaves out is in the entry's structured data.
 */
final class TimelineLines {

    /** A timeline entry's kind and its two lines. */
    record Line(String kind, String zh, String en) {
    }

    private TimelineLines() {
    }

    static Line of(Object event) {
        if (event instanceof MemberRegistered e) {
            String where = e.channel() == null ? "mini_program" : e.channel().code();
            String store = e.storeId() == null ? "" : "，门店 " + e.storeId();
            return new Line("registered", "注册成为会员（渠道 " + where + store + "）",
                    "Registered as a member (channel " + where + (e.storeId() == null ? "" : ", store " + e.storeId())
                            + ")");
        }
        if (event instanceof PhoneBound e) {
            String masked = e.phoneMasked() == null ? "" : e.phoneMasked() + " ";
            return new Line("phone-bound", "绑定手机号 " + masked + "（来源 " + e.source() + "）",
                    "Phone number " + masked + "bound (from " + e.source() + ")");
        }
        if (event instanceof ConsentChanged e) {
            return new Line("consent", (e.granted() ? "同意" : "撤回同意") + "：" + e.purpose(),
                    (e.granted() ? "Consented to " : "Withdrew consent to ") + e.purpose());
        }
        if (event instanceof PurchaseRecorded e) {
            return new Line("purchase", "消费 ¥" + yuan(e.amountFen()) + "（订单 " + e.orderId() + "，门店 "
                    + e.storeId() + "，渠道 " + e.channel().code() + "）", "Purchase of ¥" + yuan(e.amountFen())
                    + " (order " + e.orderId() + ", store " + e.storeId() + ", channel " + e.channel().code() + ")");
        }
        if (event instanceof PurchaseRefunded e) {
            return new Line("refund", "退款 ¥" + yuan(e.amountFen()) + "（订单 " + e.orderId() + "，退款单 "
                    + e.refundId() + "）", "Refund of ¥" + yuan(e.amountFen()) + " (order " + e.orderId()
                    + ", refund " + e.refundId() + ")");
        }
        if (event instanceof CheckedIn e) {
            return new Line("check-in", "签到，连续 " + e.streak() + " 天",
                    "Checked in, " + e.streak() + "-day streak");
        }
        if (event instanceof PointsEarned e) {
            String sourceZh = e.source() == PointSource.PURCHASE ? "订单 " + e.sourceId()
                    : e.source() == PointSource.CHECK_IN ? "签到 " + e.sourceId() : e.sourceId();
            String sourceEn = e.source().name().toLowerCase(Locale.ROOT).replace('_', '-') + " " + e.sourceId();
            String rules = e.rules().stream().map(rule -> rule.rule() + " " + rule.effect())
                    .collect(Collectors.joining("; "));
            return new Line("points-earned", "获得 " + e.points() + " 积分（" + sourceZh + "），余额 "
                    + e.balanceAfter(), "Earned " + e.points() + " points (" + sourceEn + ", rules v"
                    + e.ruleSetVersion() + (rules.isEmpty() ? "" : ": " + rules) + "), balance " + e.balanceAfter());
        }
        if (event instanceof PointsRedeemed e) {
            return new Line("points-redeemed", "使用 " + e.points() + " 积分：" + e.reason() + "，余额 "
                    + e.balanceAfter(), "Redeemed " + e.points() + " points: " + e.reason() + ", balance "
                    + e.balanceAfter());
        }
        if (event instanceof PointsReversed e) {
            String owed = e.debtIncurred() > 0 ? "，欠 " + e.debtIncurred() + " 积分" : "";
            return new Line("points-reversed", "退款扣回 " + e.points() + " 积分（订单 " + e.orderId() + "），余额 "
                    + e.balanceAfter() + owed, "Reversed " + e.points() + " points for the refund of order "
                    + e.orderId() + ", balance " + e.balanceAfter()
                    + (e.debtIncurred() > 0 ? ", " + e.debtIncurred() + " owed" : ""));
        }
        if (event instanceof PointsExpired e) {
            return new Line("points-expired", e.points() + " 积分过期，余额 " + e.balanceAfter(),
                    e.points() + " points expired, balance " + e.balanceAfter());
        }
        if (event instanceof PointsAdjusted e) {
            String signed = (e.points() > 0 ? "+" : "") + e.points();
            return new Line("points-adjusted", "积分调整 " + signed + "（" + e.reason() + "，操作人 " + e.actor()
                    + "），余额 " + e.balanceAfter(), "Points adjusted " + signed + " (" + e.reason() + ", by "
                    + e.actor() + "), balance " + e.balanceAfter());
        }
        if (event instanceof TierChanged e) {
            return new Line("tier-changed", "等级 " + e.from() + " → " + e.to() + "（" + e.reason() + "）",
                    "Tier " + e.from() + " → " + e.to() + " (" + e.cause().name().toLowerCase(Locale.ROOT) + ": "
                            + e.reason() + ")");
        }
        if (event instanceof TierRetained e) {
            return new Line("tier-retained", "保级 " + e.tier() + "（" + e.reason() + "）",
                    "Kept tier " + e.tier() + " (" + e.reason() + ")");
        }
        if (event instanceof TierFloorSet e) {
            return new Line("tier-floor", "人工设定等级 " + e.tier() + " 至 " + e.until() + "（" + e.reason() + "，操作人 "
                    + e.actor() + "）", "Tier set to " + e.tier() + " until " + e.until() + " (" + e.reason()
                    + ", by " + e.actor() + ")");
        }
        if (event instanceof TierFloorEnded e) {
            return new Line("tier-floor-ended", "人工等级 " + e.tier() + " 到期", "Manual tier " + e.tier() + " ended");
        }
        if (event instanceof io.siyu.api.reward.RewardRedemptionHeld e) {
            return new Line("coupon-held", "兑换 " + e.rewardName() + "：预留 " + e.points() + " 积分",
                    "Redeeming " + e.rewardName() + ": " + e.points() + " points held");
        }
        if (event instanceof io.siyu.api.reward.RewardRedemptionAbandoned e) {
            return new Line("coupon-released", "兑换 " + e.rewardId() + " 未完成，积分已释放（" + e.reason() + "）",
                    "Redemption of " + e.rewardId() + " ended unpaid, points released (" + e.reason() + ")");
        }
        if (event instanceof RewardRedeemed e) {
            return new Line("coupon", "兑换礼券 " + e.rewardId() + "（券码 " + e.couponCode() + "）",
                    "Redeemed reward " + e.rewardId() + " (coupon " + e.couponCode() + ")");
        }
        if (event instanceof io.siyu.api.member.MemberErased) {
            return new Line("erased", "会员个人信息已删除（积分与金额记录保留）",
                    "The member's personal data was erased (points and amounts are kept)");
        }
        if (event instanceof io.siyu.api.member.MemberUnionidAttached) {
            return new Line("unionid-attached", "微信身份（unionid）已关联", "WeChat identity (unionid) linked");
        }
        if (event instanceof WeComContactAdded e) {
            String via = e.state() == null ? "" : "，渠道 " + e.state();
            return new Line("wecom-contact-added", "添加企业微信员工 " + e.staffUserId() + via + found(e.foundAt(), true),
                    "Became a WeCom contact of staff " + e.staffUserId()
                            + (e.state() == null ? "" : " (channel " + e.state() + ")") + found(e.foundAt(), false));
        }
        if (event instanceof WeComContactRemoved e) {
            boolean byStaff = e.removedBy() == WeComRemoval.STAFF_REMOVED_CUSTOMER;
            if (e.foundAt() != null && e.removedBy() == null) {
                return new Line("wecom-contact-removed", "与员工 " + e.staffUserId() + " 的联系已结束" + found(e.foundAt(), true),
                        "No longer a WeCom contact of staff " + e.staffUserId() + found(e.foundAt(), false));
            }
            return new Line("wecom-contact-removed", byStaff ? "员工 " + e.staffUserId() + " 删除了客户"
                    : "客户删除了员工 " + e.staffUserId(), byStaff ? "Staff " + e.staffUserId() + " removed the customer"
                    : "The customer removed staff " + e.staffUserId());
        }
        if (event instanceof WeComGroupJoined e) {
            return new Line("wecom-group-joined", "加入客户群 " + e.chatId() + scene(e.joinScene(), true)
                    + found(e.foundAt(), true), "Joined customer group " + e.chatId() + scene(e.joinScene(), false)
                    + found(e.foundAt(), false));
        }
        if (event instanceof WeComGroupLeft e) {
            boolean removed = e.quitScene() != null && e.quitScene() == 1;
            return new Line("wecom-group-left", (removed ? "被移出客户群 " : "退出客户群 ") + e.chatId()
                    + found(e.foundAt(), true), (removed ? "Removed from customer group " : "Left customer group ")
                    + e.chatId() + found(e.foundAt(), false));
        }
        if (event instanceof WeComTagsChanged e) {
            String change = (e.added().isEmpty() ? "" : "+" + String.join(" +", e.added()))
                    + (e.added().isEmpty() || e.removed().isEmpty() ? "" : " ")
                    + (e.removed().isEmpty() ? "" : "-" + String.join(" -", e.removed()));
            return new Line("wecom-tags", "员工 " + e.staffUserId() + " 的标签 " + change,
                    "Tags by staff " + e.staffUserId() + ": " + change);
        }
        if (event instanceof MemberEnteredSegment e) {
            return new Line("segment-entered", "进入分群 " + e.segmentId(), "Entered segment " + e.segmentId());
        }
        if (event instanceof MemberLeftSegment e) {
            return new Line("segment-left", "离开分群 " + e.segmentId(), "Left segment " + e.segmentId());
        }
        if (event instanceof io.siyu.api.campaign.CampaignMessageQueued e) {
            return new Line("campaign-queued", "活动「" + e.campaignName() + "」" + invitation(e.joinChatIds(), true)
                    + "待员工 " + e.staffUserId() + " 确认发送", "Campaign \"" + e.campaignName() + "\" "
                    + invitation(e.joinChatIds(), false) + "waits for staff " + e.staffUserId() + " to confirm");
        }
        if (event instanceof io.siyu.api.campaign.CampaignMessageHeldBack e) {
            return new Line("campaign-held-back", "活动「" + e.campaignName() + "」暂缓：本期群发次数已满"
                    + (e.retryAt() == null ? "，不再发送" : ""), "Campaign \"" + e.campaignName()
                    + "\" held back: mass-message limit reached" + (e.retryAt() == null ? ", given up" : ""));
        }
        if (event instanceof io.siyu.api.campaign.CampaignMessageSettled e) {
            return switch (e.outcome()) {
                case io.siyu.api.campaign.CampaignMessageSettled.SENT -> new Line("campaign-sent",
                        "员工 " + e.staffUserId() + " 通过活动「" + e.campaignName() + "」"
                                + (e.joinChatIds().isEmpty() ? "发送消息"
                                : "邀请加入客户群 " + String.join("、", e.joinChatIds())),
                        (e.joinChatIds().isEmpty() ? "Messaged" : "Invited to group " + String.join(", ",
                                e.joinChatIds())) + " by campaign \"" + e.campaignName() + "\" (staff "
                                + e.staffUserId() + ")");
                case io.siyu.api.campaign.CampaignMessageSettled.NOT_A_CONTACT -> new Line("campaign-not-sent",
                        "活动「" + e.campaignName() + "」未送达：已不是员工 " + e.staffUserId() + " 的联系人",
                        "Campaign \"" + e.campaignName() + "\" not delivered: no longer a contact of staff "
                                + e.staffUserId());
                case io.siyu.api.campaign.CampaignMessageSettled.RECEIVE_LIMIT -> new Line("campaign-not-sent",
                        "活动「" + e.campaignName() + "」未送达：群发次数已满，将再安排",
                        "Campaign \"" + e.campaignName() + "\" not delivered: mass-message limit; planned again");
                case io.siyu.api.campaign.CampaignMessageSettled.NOT_CONFIRMED -> new Line("campaign-not-sent",
                        "活动「" + e.campaignName() + "」未发送：员工 " + e.staffUserId() + " 未在期限内确认",
                        "Campaign \"" + e.campaignName() + "\" not sent: staff " + e.staffUserId()
                                + " did not confirm in time");
                default -> new Line("campaign-not-sent", "活动「" + e.campaignName() + "」未发送",
                        "Campaign \"" + e.campaignName() + "\" not sent");
            };
        }
        String name = event.getClass().getSimpleName();
        return new Line(name, name, name);
    }

    /**
     * Marks a change found by reading the group again (WeCom had not reported it); when it was found is the entry's
     * {@code data.foundAt}.
     */
    private static String found(Instant foundAt, boolean zh) {
        if (foundAt == null) {
            return "";
        }
        return zh ? "（对账发现）" : " (found by reconciliation)";
    }

    private static String scene(Integer joinScene, boolean zh) {
        if (joinScene == null) {
            return "";
        }
        return switch (joinScene) {
            case 0 -> zh ? "（群成员邀请）" : " (invited by a member)";
            case 1 -> zh ? "（群链接）" : " (by link)";
            case 3 -> zh ? "（扫群二维码）" : " (by QR code)";
            default -> "";
        };
    }

    /** "invited to group X" when the campaign has a join way, else nothing. */
    private static String invitation(java.util.List<String> chatIds, boolean zh) {
        if (chatIds.isEmpty()) {
            return "";
        }
        return zh ? "邀请客户群 " + String.join("、", chatIds) + "，" : "inviting to group " + String.join(", ", chatIds)
                + ", ";
    }

    static String yuan(long fen) {
        return BigDecimal.valueOf(fen, 2).toPlainString();
    }
}

// The fair queue's Lua scripts (see fair-queue.ts for the model). Each runs atomically in Redis,
// so any number of worker processes share one line without a lock of their own.
//
// Start-time fair queueing over two levels, in milliseconds of slot time, with a bounded credit:
// applications share the slots, and inside an application its webhooks share what it gets. At
// each level:
// - V, the virtual time, is the start tag of the latest turn taken;
// - a flow (an application, or a webhook inside its application) joining its line starts at
//   max(V - credit, F), F its finish tag (where its last turn ended): a flow that was idle may run
//   up to `credit` ms of slot time ahead of its equal share;
// - the line hands out the flow with the smallest start tag; taking charges it a quantum
//   (F = start + quantum), and ending the turn corrects F by the time the slot was really held.
// So an application that was idle gets the next free slots until it has used its credit, busy
// applications alternate, one whose turns run long (a receiver that hangs to the timeout) waits
// longer for its next; and the same between the webhooks of one application. A quiet webhook's
// few events go out about as fast beside a huge backlog as alone, whether the backlog is its own
// application's or another's.
//
// KEYS (all under one prefix, so a hash-tagged prefix keeps them in one Redis Cluster slot):
//   1 ring     ZSET  app -> start tag: the applications with a member waiting
//   2 running  ZSET  member -> ms until which a slot holds it (a dead worker's hold lapses)
//   3 meta     HASH  member -> "<cut>|<group>" for members waiting; "again:"-prefixed fields
//                    for members offered while running (they rejoin when their turn ends)
//   4 seq      STRING the order of members inside a webhook (oldest offer first)
//   5 finish   ZSET  app -> finish tag, kept while ahead of V - credit (else that is its start)
//   6 vt       STRING V of the applications
// Per application, under the prefix: r:<app> ZSET webhook -> start tag (its webhooks with a
// member waiting), f:<app> ZSET webhook -> finish tag, v:<app> STRING its V. Per webhook,
// g:<app>/<webhook> ZSET member -> order. A member's group is "<app>/<webhook>"; a group without
// "/" is an application with one webhook of the same name.

const COMMON = `
-- V is unset until the first turn is taken: the first flows start at 0, and credit counts from
-- where the line has got to, so flows that joined later than the pack start ahead of it.
local function vt() return tonumber(redis.call('GET', KEYS[6])) end
local CREDIT = tonumber(ARGV[3])
-- Per-application keys of an application idle this long are let go.
local APP_KEYS_TTL_MS = 86400000

local function split(group)
  local at = string.find(group, '/', 1, true)
  if not at then return group, group end
  return string.sub(group, 1, at - 1), string.sub(group, at + 1)
end

-- The start tag of a flow joining a line at virtual time v, its finish tag being finish.
local function joinTag(v, finish)
  if not v then return finish or 0 end
  return math.max(v - CREDIT, finish or (v - CREDIT))
end

local function enqueue(prefix, member, group, cut)
  local meta = redis.call('HGET', KEYS[3], member)
  if meta then
    -- Already waiting: a cut offer upgrades a recovery one, nothing moves.
    if cut == '1' and string.sub(meta, 1, 1) == '0' then
      redis.call('HSET', KEYS[3], member, '1|' .. string.sub(meta, 3))
    end
    return
  end
  local app, hook = split(group)
  redis.call('ZADD', prefix .. 'g:' .. app .. '/' .. hook, redis.call('INCR', KEYS[4]), member)
  redis.call('HSET', KEYS[3], member, cut .. '|' .. group)
  local hooks = prefix .. 'r:' .. app
  if not redis.call('ZSCORE', hooks, hook) then
    local va = tonumber(redis.call('GET', prefix .. 'v:' .. app))
    redis.call('ZADD', hooks, joinTag(va, tonumber(redis.call('ZSCORE', prefix .. 'f:' .. app, hook))), hook)
  end
  if not redis.call('ZSCORE', KEYS[1], app) then
    redis.call('ZADD', KEYS[1], joinTag(vt(), tonumber(redis.call('ZSCORE', KEYS[5], app))), app)
  end
end

-- A member offered while running waits in an "again:" field and rejoins when its turn ends.
local function offer(prefix, now, member, group, cut)
  local held = redis.call('ZSCORE', KEYS[2], member)
  if held and tonumber(held) > now then
    local again = redis.call('HGET', KEYS[3], 'again:' .. member)
    if not again or (cut == '1' and string.sub(again, 1, 1) == '0') then
      redis.call('HSET', KEYS[3], 'again:' .. member, cut .. '|' .. group)
    end
    return
  end
  enqueue(prefix, member, group, cut)
end

local function rejoin(prefix, member, cut, group)
  local again = redis.call('HGET', KEYS[3], 'again:' .. member)
  if again then
    redis.call('HDEL', KEYS[3], 'again:' .. member)
    if cut ~= '1' then cut = string.sub(again, 1, 1) end
    group = string.sub(again, 3)
  end
  if cut ~= '' then enqueue(prefix, member, group, cut) end
end
`;

/** ARGV: prefix, now (ms), credit (ms), then member, group, cut ('1' | '0') triples. */
export const OFFER_SCRIPT = `${COMMON}
local prefix, now = ARGV[1], tonumber(ARGV[2])
for i = 4, #ARGV, 3 do offer(prefix, now, ARGV[i], ARGV[i + 1], ARGV[i + 2]) end
return 0
`;

/**
 * ARGV: prefix, now (ms), credit (ms), hold (ms), count, quantum (ms), credited only ('1' | '0').
 * Takes up to `count` members: each time the application with the smallest start tag gives its
 * webhook with the smallest start tag, which gives its oldest member. Credited only, it takes
 * only from an application ahead of the line (joined from idle), or one whose next webhook is
 * ahead of the application's own line. Holds that lapsed go first (their worker died): a member
 * offered meanwhile rejoins the line. Returns member, group, cut triples.
 */
export const TAKE_SCRIPT = `${COMMON}
local prefix, now, hold = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[4])
local count, quantum, creditedOnly = tonumber(ARGV[5]), tonumber(ARGV[6]), ARGV[7] == '1'
for _, member in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, 100)) do
  redis.call('ZREM', KEYS[2], member)
  rejoin(prefix, member, '', '')
end
local out = {}
local v = vt()
local function headOf(app)
  local h = redis.call('ZRANGE', prefix .. 'r:' .. app, 0, 0, 'WITHSCORES')
  return h[1], tonumber(h[2]), tonumber(redis.call('GET', prefix .. 'v:' .. app))
end
while #out < count * 3 do
  local app, start, hook, hstart, va
  if creditedOnly then
    local heads = redis.call('ZRANGE', KEYS[1], 0, 99, 'WITHSCORES')
    for i = 1, #heads, 2 do
      local a, s = heads[i], tonumber(heads[i + 1])
      local h, hs, av = headOf(a)
      if (v and s < v) or (h and av and hs < av) then
        app, start, hook, hstart, va = a, s, h, hs, av
        break
      end
    end
    if not app then break end
  else
    local head = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
    if not head[1] then break end
    app, start = head[1], tonumber(head[2])
    hook, hstart, va = headOf(app)
  end
  local hooks = prefix .. 'r:' .. app
  redis.call('ZREM', KEYS[1], app)
  if hook then
    local gkey = prefix .. 'g:' .. app .. '/' .. hook
    local member = redis.call('ZRANGE', gkey, 0, 0)[1]
    if member then
      -- A fast-lane turn of a busy application (its webhook's credit) leaves V where it is.
      if not v or start < v or not creditedOnly then
        v = math.max(v or start, start)
        redis.call('SET', KEYS[6], v)
      end
      local finish = start + quantum
      redis.call('ZADD', KEYS[5], finish, app)
      va = math.max(va or hstart, hstart)
      redis.call('SET', prefix .. 'v:' .. app, va, 'PX', APP_KEYS_TTL_MS)
      local hfinish = hstart + quantum
      redis.call('ZADD', prefix .. 'f:' .. app, hfinish, hook)
      redis.call('ZREMRANGEBYSCORE', prefix .. 'f:' .. app, '-inf', va - CREDIT)
      redis.call('PEXPIRE', prefix .. 'f:' .. app, APP_KEYS_TTL_MS)
      redis.call('ZREM', gkey, member)
      if redis.call('ZCARD', gkey) > 0 then redis.call('ZADD', hooks, hfinish, hook) else redis.call('ZREM', hooks, hook) end
      if redis.call('ZCARD', hooks) > 0 then redis.call('ZADD', KEYS[1], finish, app) end
      local meta = redis.call('HGET', KEYS[3], member) or ('1|' .. app .. '/' .. hook)
      redis.call('HDEL', KEYS[3], member)
      redis.call('ZADD', KEYS[2], now + hold, member)
      out[#out + 1] = member
      out[#out + 1] = string.sub(meta, 3)
      out[#out + 1] = string.sub(meta, 1, 1)
    else
      -- A webhook with nobody waiting: let it go; its application stays if others wait.
      redis.call('ZREM', hooks, hook)
      if redis.call('ZCARD', hooks) > 0 then redis.call('ZADD', KEYS[1], start, app) end
    end
  end
end
-- Finish tags a whole credit behind V say nothing more than V - credit: forget them, so memory
-- follows the applications with recent work, not every one ever served.
if v then redis.call('ZREMRANGEBYSCORE', KEYS[5], '-inf', v - CREDIT) end
return out
`;

/**
 * ARGV: prefix, now (ms), credit (ms), member, group, cut ('1' | '0' | '' for nothing left), held
 * (ms the turn really took), quantum (ms charged when it was taken). Ends a member's turn: its
 * application's and its webhook's finish tags are corrected by what the turn really held, and the
 * member rejoins the line when it has work left or was offered while it ran.
 */
export const FINISH_SCRIPT = `${COMMON}
local prefix, now, member, group, cut = ARGV[1], tonumber(ARGV[2]), ARGV[4], ARGV[5], ARGV[6]
local correction = tonumber(ARGV[7]) - tonumber(ARGV[8])
local app, hook = split(group)
redis.call('ZREM', KEYS[2], member)
local function correct(line, finishes, floor, flow)
  local finish = tonumber(redis.call('ZSCORE', finishes, flow) or floor)
  redis.call('ZADD', finishes, math.max(floor, finish + correction), flow)
  local waiting = redis.call('ZSCORE', line, flow)
  if waiting then redis.call('ZADD', line, math.max(floor, tonumber(waiting) + correction), flow) end
end
correct(KEYS[1], KEYS[5], (vt() or 0) - CREDIT, app)
local va = tonumber(redis.call('GET', prefix .. 'v:' .. app)) or 0
correct(prefix .. 'r:' .. app, prefix .. 'f:' .. app, va - CREDIT, hook)
redis.call('PEXPIRE', prefix .. 'f:' .. app, APP_KEYS_TTL_MS)
rejoin(prefix, member, cut, group)
return 0
`;

/**
 * ARGV: prefix, now (ms), credit (ms), member, hold (ms). A turn that carries on renews its hold;
 * returns how many groups wait for a slot.
 */
export const RENEW_SCRIPT = `
redis.call('ZADD', KEYS[2], 'XX', tonumber(ARGV[2]) + tonumber(ARGV[5]), ARGV[4])
return redis.call('ZCARD', KEYS[1])
`;

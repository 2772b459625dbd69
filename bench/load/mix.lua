-- guarantor's load mix for wrk: reads of the API and of the dashboard, and intake, in fixed proportions.
-- Tokens come from the environment (PLANNER_TOKEN, LIAISON_TOKEN, set by bench/load/run).
-- Out of every 20 requests:
--   5 GET  /api/v1/incidents (one day, 50 a page)      planner
--   3 GET  /api/v1/plan (released to a liaison officer) liaison
--   2 GET  /api/v1/scenario                              liaison
--   2 GET  /api/v1/pledges                               liaison
--   3 GET  /  (the dashboard's plan page)                liaison
--   2 GET  /incidents (the dashboard's feed and map)     planner
--   3 POST /api/v1/reports (5 new reports each)          planner

local planner = "Bearer " .. os.getenv("PLANNER_TOKEN")
local liaison = "Bearer " .. os.getenv("LIAISON_TOKEN")
local day = "since=2027-01-10&until=2027-01-11"

local threads = {}
local counter = 0
local thread_id = 0

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  thread_id = tid
end

local function reports()
  local rows = { "id,source,source_kind,time,time_precision_hours,lat,lon,place_precision_km,kind,target,count,text" }
  for k = 1, 5 do
    counter = counter + 1
    local minute = counter % 1440
    rows[#rows + 1] = string.format(
      "load-%d-%d,loadgen-%d,patrol,2027-01-20T%02d:%02d:00Z,0.25,%.4f,%.4f,0.5,artillery,,1,load",
      thread_id, counter, k, math.floor(minute / 60), minute % 60,
      47.0 + (counter % 100) / 100.0, 35.0 + (counter % 73) / 50.0)
  end
  return table.concat(rows, "\n") .. "\n"
end

local slots = {
  "inc", "inc", "inc", "inc", "inc",
  "plan", "plan", "plan",
  "scen", "scen",
  "pledges", "pledges",
  "dash", "dash", "dash",
  "dinc", "dinc",
  "post", "post", "post",
}
local i = 0

function request()
  i = i % #slots + 1
  local s = slots[i]
  if s == "inc" then
    return wrk.format("GET", "/api/v1/incidents?" .. day .. "&per_page=50", { Authorization = planner })
  elseif s == "plan" then
    return wrk.format("GET", "/api/v1/plan", { Authorization = liaison })
  elseif s == "scen" then
    return wrk.format("GET", "/api/v1/scenario", { Authorization = liaison })
  elseif s == "pledges" then
    return wrk.format("GET", "/api/v1/pledges", { Authorization = liaison })
  elseif s == "dash" then
    return wrk.format("GET", "/", { Authorization = liaison })
  elseif s == "dinc" then
    return wrk.format("GET", "/incidents?" .. day, { Authorization = planner })
  else
    counter = counter + 0
    return wrk.format("POST", "/api/v1/reports?format=csv&name=load-" .. thread_id .. ".csv",
      { Authorization = planner, ["Content-Type"] = "text/csv" }, reports())
  end
end

local errors = 0
function response(status, headers, body)
  if status >= 400 then
    errors = errors + 1
    if errors <= 3 then
      io.stderr:write("status " .. status .. ": " .. string.sub(body, 1, 200) .. "\n")
    end
  end
end

import { useState } from 'react'
import './App.css'

function App() {
  const [count, setCount] = useState(0)

  return (
    <>
      <h1>Vite + React</h1>
      <div className="card">
        <button onClick={() => setCount((count) => count + 1)}>
          count is {count}
        </button>
        <p>
          Edit <code>src/App.jsx</code> and save to test HMR
        </p>
      </div>
      <p className="read-the-docs">
        Learn more at <a href="https://vite.dev" target="_blank" rel="noreferrer">vite.dev</a> and{' '}
        <a href="https://react.dev" target="_blank" rel="noreferrer">react.dev</a>
      </p>
    </>
  )
}

export default App
